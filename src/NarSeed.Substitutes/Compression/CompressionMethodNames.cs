namespace NarSeed.Substitutes.Compression;

/// <summary>The narinfo spelling of each <see cref="CompressionMethod"/> (compression-algo.hh).</summary>
public static class CompressionMethodNames
{
    public static string ToName(this CompressionMethod method) => method switch
    {
        CompressionMethod.None => "none",
        CompressionMethod.Brotli => "br",
        CompressionMethod.Bzip2 => "bzip2",
        CompressionMethod.Compress => "compress",
        CompressionMethod.Grzip => "grzip",
        CompressionMethod.Gzip => "gzip",
        CompressionMethod.Lrzip => "lrzip",
        CompressionMethod.Lz4 => "lz4",
        CompressionMethod.Lzip => "lzip",
        CompressionMethod.Lzma => "lzma",
        CompressionMethod.Lzop => "lzop",
        CompressionMethod.Xz => "xz",
        CompressionMethod.Zstd => "zstd",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Parses a narinfo <c>Compression</c> value. Nix treats an empty or missing value as bzip2 (nar-info.cc).</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out CompressionMethod method)
    {
        if (name.IsEmpty)
        {
            method = CompressionMethod.Bzip2;
            return true;
        }
        foreach (var candidate in Enum.GetValues<CompressionMethod>())
        {
            if (name.SequenceEqual(candidate.ToName()))
            {
                method = candidate;
                return true;
            }
        }
        method = default;
        return false;
    }

    /// <summary>The file extension Nix gives a nar in this compression (binary-cache-store.cc), e.g. ".xz".</summary>
    public static string FileExtension(this CompressionMethod method) => method switch
    {
        CompressionMethod.None => "",
        CompressionMethod.Brotli => ".br",
        CompressionMethod.Bzip2 => ".bz2",
        CompressionMethod.Zstd => ".zst",
        CompressionMethod.Lzip => ".lzip",
        _ => "." + method.ToName(),
    };
}
