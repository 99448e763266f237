using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Compression;

/// <summary>
/// What one pass over a nar file found. Each check is reported on its own; <see cref="DecodeError"/> is set when the
/// compressed stream could not be decoded (then NarHash/NarSize are mismatches by definition).
/// </summary>
public sealed record NarVerification(
    NarCheckOutcome FileSize,
    NarCheckOutcome FileHash,
    NarCheckOutcome NarSize,
    NarCheckOutcome NarHash,
    long ActualFileSize,
    NixHash ActualFileHash,
    long ActualNarSize,
    NixHash? ActualNarHash,
    NarDecodingException? DecodeError)
{
    public bool IsValid => DecodeError is null
        && FileSize != NarCheckOutcome.Mismatch && FileHash != NarCheckOutcome.Mismatch
        && NarSize == NarCheckOutcome.Ok && NarHash == NarCheckOutcome.Ok;

    /// <summary>The first failed check by name ("decode", "nar_hash", …), or null when valid.</summary>
    public string? FirstFailure =>
        DecodeError is not null ? "decode"
        : NarHash != NarCheckOutcome.Ok ? "nar_hash"
        : NarSize != NarCheckOutcome.Ok ? "nar_size"
        : FileHash == NarCheckOutcome.Mismatch ? "file_hash"
        : FileSize == NarCheckOutcome.Mismatch ? "file_size"
        : null;
}
