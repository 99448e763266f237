using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.Hosting;

namespace NarSeed.Status;

/// <summary>
/// Builds the status report and the torrent table from the catalog and the read models (swarm, discovery, mirror).
/// The endpoints and the metrics both read through here, so <c>/api/status</c> and <c>/metrics</c> agree.
/// </summary>
public sealed class StatusService(
    NarCatalog catalog,
    ISwarmStatusSource swarm,
    IDiscoveryStatusSource discovery,
    IMirrorStatusSource mirror,
    UploadRateHistory history,
    StatusSampler sampler,
    IEnumerable<IHostedService> hostedServices,
    IOptions<NodeOptions> options,
    TimeProvider time)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private readonly GcService? _gc = hostedServices.OfType<GcService>().FirstOrDefault();

    public async Task<StatusReport> ReadReportAsync(CancellationToken cancellationToken)
    {
        var totals = await catalog.ReadStatusTotalsAsync(cancellationToken);
        var swarmTotals = swarm.ReadTotals();
        var now = time.GetUtcNow();
        var quota = options.Value.Gc.DiskQuota;
        var held = totals.ReadyBytes + totals.RetiredBytes;
        var gc = new GcStatus(totals.Roots, totals.ReadyNars, totals.ReadyBytes, totals.RetiredNars,
            totals.RetiredBytes, quota, quota is { } q ? (double)held / q : null, _gc?.Failures ?? 0, _gc?.Passes ?? 0, _gc?.LastPass);
        // Catalog counters hold what the sampler flushed; add what the engine uploaded since then.
        var unflushed = Math.Max(0, swarmTotals.UploadedBytes - sampler.FlushedBytes);
        var discoveryStatus = discovery.ReadDiscovery();
        return new StatusReport(now, (now - _started).TotalSeconds, swarmTotals.Torrents, totals.ReadyNars, held,
            totals.StorePaths, history.CurrentRate, history.AverageRate, swarmTotals.UploadedBytes,
            totals.UploadedBytes + unflushed, swarmTotals.ConnectedPeers, swarmTotals.Running, swarmTotals.Port,
            discoveryStatus, gc, mirror.ReadMirror(), history.Snapshot())
        {
            NarsAtRisk = Math.Max(0, swarmTotals.Torrents - discoveryStatus.NarsWithOtherSeeders),
        };
    }

    public async Task<TorrentTable> ReadTorrentsAsync(TorrentQuery query, CancellationToken cancellationToken)
    {
        var page = await catalog.ListTorrentPageAsync(query.Search, query.Sort, query.Descending, query.Offset,
            query.PageSize, cancellationToken);
        var live = swarm.ReadActiveTorrents()
            .ToDictionary(t => Convert.ToHexStringLower(t.InfoHashV2.Span), StringComparer.Ordinal);
        var rows = page.Rows.Select(row =>
        {
            var hash = row.InfoHashV2 is { } h ? Convert.ToHexStringLower(h.Span) : null;
            var swarmRow = hash is not null ? live.GetValueOrDefault(hash) : null;
            var seeders = row.InfoHashV2 is { } v2 ? discovery.KnownSeeders(v2.Span) : null;
            var activity = Later(row.LastActivity, swarmRow?.LastUpload);
            return new TorrentRow(row.StorePath, hash, row.State.ToString().ToLowerInvariant(), row.FileSize,
                swarmRow?.ConnectedPeers ?? 0, seeders, row.UploadedBytes, activity,
                AtRisk: row.State == NarState.Ready && seeders is not > 1);
        }).ToList();
        var pages = (int)Math.Min(int.MaxValue, (page.TotalRows + query.PageSize - 1) / query.PageSize);
        return new TorrentTable(query.SortName, query.Descending ? "desc" : "asc", query.Search, query.Page,
            query.PageSize, page.TotalRows, page.TotalIsLowerBound, pages, rows);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
