namespace NarSeed.Substitutes.Compression;

/// <summary>
/// Nar compressions named in narinfos. The full list is Nix's (src/libutil/include/nix/util/compression-algo.hh);
/// Guix uses a subset (guix/narinfo.scm <c>%compression-methods</c>). Which ones NarSeed can decode:
/// <see cref="NarDecoder.CanDecode"/>.
/// </summary>
public enum CompressionMethod
{
    None,
    Brotli,
    Bzip2,
    Compress,
    Grzip,
    Gzip,
    Lrzip,
    Lz4,
    Lzip,
    Lzma,
    Lzop,
    Xz,
    Zstd,
}
