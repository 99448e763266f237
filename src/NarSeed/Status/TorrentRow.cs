namespace NarSeed.Status;

/// <summary>
/// One row of the torrent table: the catalog's figures (uploads flushed at most one sample ago) and the swarm's live
/// ones. <see cref="AtRisk"/>: no seeder other than this node is known (never scraped, or the scrape counted one).
/// </summary>
public sealed record TorrentRow(
    string StorePath,
    string InfoHash,
    long SizeBytes,
    int Peers,
    int? KnownSeeders,
    long UploadedBytes,
    DateTimeOffset? LastActivity,
    bool AtRisk);
