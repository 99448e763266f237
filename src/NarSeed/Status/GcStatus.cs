namespace NarSeed.Status;

/// <summary>
/// Garbage collection as the page shows it: roots; the closure the node keeps (ready nars, their bytes); retired nars
/// and their bytes (reclaimable once the grace period ends); the disk quota and the share of it in use; completed and
/// failed passes, and what the latest pass did (null before the first pass, or where no GC runs).
/// </summary>
public sealed record GcStatus(
    long Roots,
    long ClosureNars,
    long ClosureBytes,
    long ReclaimableNars,
    long ReclaimableBytes,
    long? DiskQuotaBytes,
    double? QuotaUsed,
    int FailedPasses,
    int Passes,
    NarSeed.Gc.GcPassSummary? LastPass);
