namespace NarSeed.Status;

/// <summary>
/// Everything the status page's header shows, as <c>/api/status</c> returns it. Byte figures are bytes, rates bytes per
/// second. <see cref="UploadedBytes"/> counts uploads to peers since the node started;
/// <see cref="OriginBytesSaved"/> counts them over the catalog's lifetime (every byte a peer got from the swarm is one
/// the origin did not serve).
/// </summary>
public sealed record StatusReport(
    DateTimeOffset GeneratedAt,
    double UptimeSeconds,
    long NarsSeeded,
    long NarsReady,
    long BytesHeld,
    long StorePaths,
    double UploadRateNow,
    double UploadRateLastHour,
    long UploadedBytes,
    long OriginBytesSaved,
    int PeersConnected,
    bool SwarmRunning,
    int BitTorrentPort,
    DiscoveryStatus Discovery,
    GcStatus Gc,
    MirrorStatus Mirror,
    IReadOnlyList<RateSample> UploadHistory)
{
    /// <summary>Seeded nars for which no seeder other than this node is known from scrapes.</summary>
    public long NarsAtRisk { get; init; }
}
