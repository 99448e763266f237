namespace NarSeed.BitTorrent.Trackers;

public sealed partial class AnnounceScheduler
{
    private readonly Dictionary<string, TrackerHealth> _health = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScrapeEntry> _scrapes = new(StringComparer.Ordinal);

    /// <summary>What one tracker told us: guarded by <c>_lock</c>.</summary>
    private sealed class TrackerHealth
    {
        public DateTimeOffset? LastSuccess;
        public DateTimeOffset? LastFailure;
        public int ConsecutiveFailures;
        public string? LastError;
        public string? LastWarning;
        public long Announces;
        public long Failures;
    }

    /// <summary>Every tracker announced to so far, with its last result.</summary>
    public IReadOnlyList<TrackerReport> TrackerReports()
    {
        lock (_lock)
        {
            return _health.Select(h => new TrackerReport(h.Key, h.Value.LastSuccess, h.Value.LastFailure,
                h.Value.ConsecutiveFailures, h.Value.LastError, h.Value.LastWarning, h.Value.Announces, h.Value.Failures)).ToList();
        }
    }

    /// <summary>The highest seeder count any tracker's latest scrape gave for a 20-byte info-hash, or null when none did.</summary>
    public ScrapeEntry? LatestScrape(ReadOnlySpan<byte> infoHash)
    {
        var hex = Convert.ToHexStringLower(infoHash);
        lock (_lock) return _scrapes.TryGetValue(hex, out var entry) ? entry : null;
    }

    /// <summary>Tracked torrents whose latest scrape (any of their hashes) counts more than <paramref name="seeders"/> seeders.</summary>
    public int TorrentsWithMoreSeedersThan(int seeders)
    {
        lock (_lock)
        {
            return _torrents.Keys.Count(t => t.InfoHashes.Any(h =>
                _scrapes.TryGetValue(Convert.ToHexStringLower(h.Span), out var e) && e.Seeders > seeders));
        }
    }

    /// <summary>
    /// Scrapes every tracked info-hash from every tracker that announces it, in batches (see <see cref="ScrapeAsync"/>),
    /// and keeps per hash the entry with the most seeders across trackers. Returns how many hashes got an answer.
    /// </summary>
    public async Task<int> ScrapeTrackedAsync(CancellationToken cancellationToken = default)
    {
        Dictionary<string, (Uri Url, List<ReadOnlyMemory<byte>> Hashes)> byTracker = new(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var entry in _torrents.Values.SelectMany(e => e))
            {
                foreach (var url in entry.Tier)
                {
                    if (!byTracker.TryGetValue(url.OriginalString, out var group))
                    {
                        byTracker[url.OriginalString] = group = (url, []);
                    }
                    group.Hashes.Add(entry.InfoHash);
                }
            }
        }
        var best = new Dictionary<string, ScrapeEntry>(StringComparer.Ordinal);
        foreach (var (url, hashes) in byTracker.Values)
        {
            foreach (var (hex, entry) in await ScrapeAsync(url, hashes, cancellationToken).ConfigureAwait(false))
            {
                if (!best.TryGetValue(hex, out var seen) || entry.Seeders > seen.Seeders) best[hex] = entry;
            }
        }
        lock (_lock)
        {
            _scrapes.Clear();
            foreach (var (hex, entry) in best) _scrapes[hex] = entry;
        }
        return best.Count;
    }

    private void RecordAnnounce(Uri url, string? warning)
    {
        lock (_lock)
        {
            var health = Health(url);
            health.LastSuccess = _time.GetUtcNow();
            health.ConsecutiveFailures = 0;
            health.LastError = null;
            health.LastWarning = warning ?? health.LastWarning;
            health.Announces++;
        }
    }

    private void RecordFailure(Uri url, string message)
    {
        lock (_lock)
        {
            var health = Health(url);
            health.LastFailure = _time.GetUtcNow();
            health.ConsecutiveFailures++;
            health.LastError = message;
            health.Failures++;
        }
    }

    /// <summary>The health record of a tracker; caller holds the lock.</summary>
    private TrackerHealth Health(Uri url)
    {
        if (!_health.TryGetValue(url.OriginalString, out var health)) _health[url.OriginalString] = health = new TrackerHealth();
        return health;
    }
}
