using NarSeed.Substitutes.Compression;

namespace NarSeed.Substitutes.NarInfo;

/// <summary>One URL/Compression/FileSize group of a Guix narinfo, paired by position (guix/narinfo.scm).</summary>
public sealed record GuixNarInfoEntry(string Url, CompressionMethod Compression, long? FileSize);
