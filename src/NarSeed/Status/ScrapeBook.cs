using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Discovery;
using NarSeed.Hosting;

namespace NarSeed.Status;

/// <summary>
/// The node's <see cref="IDiscoveryStatusSource"/>: an adapter over the live peer discovery (the announce scheduler's
/// per-tracker results and latest scrapes, the LSD service's groups) with the configured trackers as a fallback
/// before the first announce. <see cref="RecordScrape"/> and <see cref="RecordTrackerState"/> let a feature without
/// discovery (and tests of the page alone) supply the same data.
/// </summary>
public sealed class ScrapeBook(IOptions<NodeOptions> options, Func<PeerDiscovery?>? discovery = null) : IDiscoveryStatusSource
{
    /// <summary>Tracker state before any announce was made.</summary>
    public const string NotAnnouncing = "configured, not announcing";

    private readonly ConcurrentDictionary<string, int> _seeders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _trackerStates = new(StringComparer.Ordinal);

    /// <summary>Records a scrape's seeder count for a torrent (v2 info-hash, 32 bytes).</summary>
    public void RecordScrape(ReadOnlySpan<byte> infoHashV2, int seeders)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seeders);
        if (infoHashV2.Length != 32) throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(infoHashV2));
        _seeders[Convert.ToHexStringLower(infoHashV2)] = seeders;
    }

    /// <summary>Records the outcome of the last announce to a tracker.</summary>
    public void RecordTrackerState(string url, string state) => _trackerStates[url] = state;

    public DiscoveryStatus ReadDiscovery()
    {
        var live = discovery?.Invoke();
        var reports = live?.Trackers?.TrackerReports().ToDictionary(r => r.Url, StringComparer.Ordinal) ?? [];
        var trackers = options.Value.BitTorrent.Trackers
            .Concat(reports.Keys).Concat(_trackerStates.Keys).Distinct(StringComparer.Ordinal)
            .Select(url => reports.TryGetValue(url, out var report)
                ? DiscoveryText.Tracker(report)
                : new TrackerStatus(url, _trackerStates.GetValueOrDefault(url, NotAnnouncing)))
            .ToList();
        var scheduler = live?.Trackers;
        // This node is one of the seeders a tracker counts: another seeder means more than one.
        var othersSeed = scheduler?.TorrentsWithMoreSeedersThan(1) ?? 0;
        var recorded = _seeders.Values.Count(s => s > 1);
        return new DiscoveryStatus(trackers, DiscoveryText.Lsd(live), scheduler?.AnnounceFailures ?? 0, othersSeed + recorded);
    }

    public int? KnownSeeders(ReadOnlySpan<byte> infoHashV2)
    {
        if (_seeders.TryGetValue(Convert.ToHexStringLower(infoHashV2), out var seeders)) return seeders;
        var scheduler = discovery?.Invoke()?.Trackers;
        if (scheduler is null || infoHashV2.Length < 20) return null;
        return scheduler.LatestScrape(infoHashV2[..20])?.Seeders;
    }
}
