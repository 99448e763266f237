namespace NarSeed.Substitutes.Compression;

/// <summary>The result of one check on a nar.</summary>
public enum NarCheckOutcome
{
    Ok,
    Mismatch,

    /// <summary>The narinfo gives no expected value (e.g. no FileHash), so nothing was compared.</summary>
    NotChecked,
}
