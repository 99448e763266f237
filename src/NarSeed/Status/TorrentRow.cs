namespace NarSeed.Status;

/// <summary>
/// One row of the torrent table: the catalog's figures (uploads flushed at most one sample ago) and the swarm's live
/// ones. <see cref="State"/> is <c>ready</c> (seeded), <c>retired</c> (outside every root's closure: held, not seeded)
/// or <c>pending</c>. <see cref="AtRisk"/>: a seeded nar for which no seeder other than this node is known (never
/// scraped, or the scrape counted one).
/// </summary>
public sealed record TorrentRow(
    string StorePath,
    string? InfoHash,
    string State,
    long SizeBytes,
    int Peers,
    int? KnownSeeders,
    long UploadedBytes,
    DateTimeOffset? LastActivity,
    bool AtRisk);
