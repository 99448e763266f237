namespace NarSeed.Catalog;

/// <summary>
/// The catalog's side of the status page, read in one statement: ready nars (seeded, in some root's closure),
/// retired nars (outside every closure, reclaimable once the grace period ends), roots, store paths and the per-nar
/// upload counters summed.
/// </summary>
public sealed record CatalogStatusTotals(
    long ReadyNars,
    long ReadyBytes,
    long RetiredNars,
    long RetiredBytes,
    long Roots,
    long StorePaths,
    long UploadedBytes);
