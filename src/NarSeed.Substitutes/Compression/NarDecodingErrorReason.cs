namespace NarSeed.Substitutes.Compression;

/// <summary>Why a compressed nar could not be decoded.</summary>
public enum NarDecodingErrorReason
{
    /// <summary>The input ended inside a compressed stream.</summary>
    Truncated,

    /// <summary>The decoder found invalid data (bad header, checksum, block).</summary>
    Corrupt,

    /// <summary>Decoding would need more memory than the limit allows.</summary>
    MemoryLimit,

    /// <summary>The compression is valid for Nix but NarSeed has no decoder for it (e.g. lz4, lrzip).</summary>
    Unsupported,

    /// <summary>The decoded output exceeded the size the caller allowed (decompression bomb guard).</summary>
    OutputTooLarge,
}
