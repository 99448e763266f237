using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NarSeed.Hosting;

namespace NarSeed.Status;

/// <summary>
/// The node's <see cref="IDiscoveryStatusSource"/>: the configured trackers, and the latest seeder count per torrent
/// as scrapes report them through <see cref="RecordScrape"/>. Until the node announces (tracker and LSD wiring is
/// another piece of work) its trackers show as "configured, not announcing" and local discovery as "off": the page
/// says what the node does, not what it is configured to hope for.
/// </summary>
public sealed class ScrapeBook(IOptions<NodeOptions> options) : IDiscoveryStatusSource
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
        var trackers = options.Value.BitTorrent.Trackers
            .Concat(_trackerStates.Keys).Distinct(StringComparer.Ordinal)
            .Select(url => new TrackerStatus(url, _trackerStates.GetValueOrDefault(url, NotAnnouncing)))
            .ToList();
        return new DiscoveryStatus(trackers, "off");
    }

    public int? KnownSeeders(ReadOnlySpan<byte> infoHashV2) =>
        _seeders.TryGetValue(Convert.ToHexStringLower(infoHashV2), out var seeders) ? seeders : null;
}
