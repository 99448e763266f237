using NarSeed.Catalog;

namespace NarSeed.Gc;

/// <summary>
/// What one GC pass did (or, for a dry run, would do). <see cref="DeletionLimitReached"/>: the pass deleted as many
/// nars as one pass may, and more are due; the next pass continues.
/// </summary>
public sealed record GcReport(
    bool DryRun,
    long LivePaths,
    IReadOnlyList<CatalogNar> Retired,
    IReadOnlyList<CatalogNar> Revived,
    IReadOnlyList<CatalogNar> Expired,
    IReadOnlyList<CatalogNar> Evicted,
    long StoredBytesBefore,
    long? DiskQuota,
    bool DeletionLimitReached,
    TimeSpan Duration)
{
    /// <summary>Every nar whose file and rows go: expired after the grace period, and evicted for the quota.</summary>
    public IEnumerable<CatalogNar> Deleted => Expired.Concat(Evicted);

    public long BytesFreed => Deleted.Sum(n => n.FileSize);

    public long StoredBytesAfter => StoredBytesBefore - BytesFreed;

    /// <summary>True when the rooted nars alone exceed the quota: nothing more may be evicted.</summary>
    public bool OverQuotaWithRootedNarsOnly =>
        DiskQuota is { } quota && StoredBytesAfter > quota && !DeletionLimitReached;
}
