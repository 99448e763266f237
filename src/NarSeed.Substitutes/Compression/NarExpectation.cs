using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Compression;

/// <summary>What a narinfo promises about a nar file: its compression, the raw file's hash/size, the decoded nar's hash/size.</summary>
public sealed record NarExpectation(
    CompressionMethod Compression,
    NixHash? FileHash,
    long? FileSize,
    NixHash NarHash,
    long NarSize);
