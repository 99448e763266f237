namespace NarSeed.BitTorrent.Trackers;

/// <summary>One tracker (one URL): announce and scrape. Implementations are safe to call concurrently.</summary>
public interface ITrackerClient : IAsyncDisposable
{
    Uri Url { get; }

    /// <summary>How many info-hashes one scrape request may carry.</summary>
    int MaxScrapeHashes { get; }

    /// <exception cref="TrackerException">The tracker failed, timed out, or sent a reply we refuse.</exception>
    Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Scrapes up to <see cref="MaxScrapeHashes"/> hashes; hashes the tracker does not know are absent.</summary>
    /// <exception cref="TrackerException">The tracker failed, timed out, or sent a reply we refuse.</exception>
    Task<IReadOnlyDictionary<string, ScrapeEntry>> ScrapeAsync(IReadOnlyList<ReadOnlyMemory<byte>> infoHashes,
        CancellationToken cancellationToken = default);
}
