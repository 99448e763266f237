using NarSeed.BitTorrent.Engine;

namespace NarSeed.Status;

/// <summary>
/// <see cref="ISwarmStatusSource"/> over the node's seeding engine. The engine is looked up on every read (the seeding
/// service creates it when it starts); before that, or without seeding, it reports a stopped engine seeding nothing.
/// </summary>
public sealed class SeedEngineSwarmStatus(Func<SeedEngine?> engine) : ISwarmStatusSource
{
    public SwarmTotals ReadTotals() => engine() is not { } e
        ? new SwarmTotals(false, 0, 0, 0, 0)
        : new SwarmTotals(e.Port != 0, e.Port, e.TorrentCount, e.ConnectedPeerCount, e.BytesUploaded);

    public IReadOnlyList<TorrentSwarmStatus> ReadActiveTorrents() => engine() is not { } e
        ? []
        : e.GetActiveStatistics()
            .Select(s => new TorrentSwarmStatus(s.Torrent.InfoHashV2, s.ConnectedPeers, s.BytesUploaded, s.LastUpload))
            .ToList();
}
