namespace NarSeed.Substitutes.Compression;

/// <summary>Memory bounds for the native decoders.</summary>
public static class DecoderLimits
{
    /// <summary>
    /// liblzma memlimit. `xz -9` needs 65 MiB to decode (xz(1) "Memory usage"); 256 MiB admits custom dictionaries up
    /// to ~250 MiB while keeping a hostile header from reserving gigabytes.
    /// </summary>
    public const ulong MaxLzmaMemory = 256UL * 1024 * 1024;

    /// <summary>
    /// zstd window: libzstd's own default decoder limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT = 27, 128 MiB), which is also what
    /// `zstd -d` accepts without --long.
    /// </summary>
    public const int MaxZstdWindowLog = 27;

    /// <summary>Compressed bytes read from the source per refill.</summary>
    public const int InputBufferSize = 128 * 1024;
}
