using Microsoft.Extensions.Logging;
using NarSeed.Catalog;
using NarSeed.Hosting;

namespace NarSeed.Gc;

/// <summary>
/// One GC pass: roots → closure over references → nars outside every closure stop seeding at once and are deleted
/// after the grace period; above the disk quota, unrooted nars go least-requested first, rooted ones never. The node
/// runs it on a timer (<see cref="GcService"/>), <c>narseed gc</c> once. Catalog changes are one transaction; files
/// are deleted after it commits (a crash in between leaves orphan files, which start-up recovery removes).
/// </summary>
public sealed class GarbageCollector(
    NarCatalog catalog,
    NarStore store,
    IEnumerable<INarSeedingControl> seeding,
    TimeProvider time,
    ILogger<GarbageCollector> logger)
{
    /// <summary>
    /// Most nars one pass deletes (expired and evicted together); the rest go in the next passes. Deleting is what
    /// holds the write lock longest (bench gc, 1M paths: a pass deleting 50,000 nars with their references takes
    /// 9–10 s on two busy cores, 4 s of it the deletes), and the mirror and <c>narseed roots</c> wait for that lock.
    /// </summary>
    public const int DefaultMaxDeletionsPerPass = 50_000;

    private readonly IReadOnlyList<INarSeedingControl> _seeding = seeding.ToList();

    /// <summary>The deletion bound in force (tests lower it).</summary>
    internal int MaxDeletionsPerPass { get; init; } = DefaultMaxDeletionsPerPass;

    public async Task<GcReport> CollectAsync(GcOptions options, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = time.GetTimestamp();
        GcReport report;
        await using (var session = await catalog.BeginGcAsync(cancellationToken))
        {
            var live = await session.MarkLiveAsync(cancellationToken);
            var retired = await session.RetireUnreachableAsync(cancellationToken);
            var revived = await session.ReviveReachableAsync(cancellationToken);
            var expired = await session.ListRetiredAtOrBeforeAsync(session.Now - options.Grace,
                MaxDeletionsPerPass, cancellationToken);
            var storedBefore = await session.StoredBytesAsync(cancellationToken);
            var evicted = await ChooseEvictionsAsync(session, options.DiskQuota, storedBefore, expired,
                MaxDeletionsPerPass - expired.Count,
                cancellationToken);
            await session.DeleteAsync(expired.Concat(evicted), cancellationToken);
            report = new GcReport(dryRun, live, retired, revived, expired, evicted, storedBefore, options.DiskQuota,
                expired.Count + evicted.Count >= MaxDeletionsPerPass, time.GetElapsedTime(started));
            if (!dryRun)
            {
                session.Commit();
            }
        }
        if (dryRun)
        {
            return report;
        }

        // Seeding stops before any file goes (an open file would survive its unlink, but a new peer must not start).
        if (report.Retired.Count > 0)
        {
            foreach (var control in _seeding)
            {
                await control.StopSeedingAsync(report.Retired, cancellationToken);
            }
        }
        if (report.Revived.Count > 0)
        {
            foreach (var control in _seeding)
            {
                await control.ResumeSeedingAsync(report.Revived, cancellationToken);
            }
        }
        foreach (var nar in report.Deleted)
        {
            if (!store.Delete(nar.LocalPath))
            {
                Log.GcFileAlreadyGone(logger, nar.LocalPath);
            }
        }
        report = report with { Duration = time.GetElapsedTime(started) };
        Log.GcPassFinished(logger, report.LivePaths, report.Retired.Count, report.Revived.Count,
            report.Expired.Count, report.Evicted.Count, report.BytesFreed, report.Duration.TotalMilliseconds);
        if (report.OverQuotaWithRootedNarsOnly)
        {
            Log.GcQuotaExceededByRootedNars(logger, report.StoredBytesAfter, report.DiskQuota!.Value);
        }
        return report;
    }

    private static async Task<IReadOnlyList<CatalogNar>> ChooseEvictionsAsync(
        CatalogGcSession session, long? quota, long storedBefore, IReadOnlyList<CatalogNar> expired, int budget,
        CancellationToken cancellationToken)
    {
        var stored = storedBefore - expired.Sum(n => n.FileSize);
        if (quota is not { } limit || stored <= limit)
        {
            return [];
        }
        var alreadyGoing = expired.Select(n => n.NarId).ToHashSet();
        var evicted = new List<CatalogNar>();
        // Only retired (unrooted) nars are candidates: everything in a root's closure is ready, never retired.
        foreach (var nar in await session.ListEvictionOrderAsync(cancellationToken))
        {
            if (stored <= limit || evicted.Count >= budget)
            {
                break;
            }
            if (alreadyGoing.Contains(nar.NarId))
            {
                continue;
            }
            evicted.Add(nar);
            stored -= nar.FileSize;
        }
        return evicted;
    }
}
