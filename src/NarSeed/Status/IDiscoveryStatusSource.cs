namespace NarSeed.Status;

/// <summary>
/// Trackers, local discovery and scrape results, for the status page. Seeders known from scrapes mark the nars at
/// risk: when no seeder other than this node is known, the node is the swarm's only copy.
/// </summary>
public interface IDiscoveryStatusSource
{
    DiscoveryStatus ReadDiscovery();

    /// <summary>Seeders the last scrape reported for this torrent (this node included), or null when never scraped.</summary>
    int? KnownSeeders(ReadOnlySpan<byte> infoHashV2);
}
