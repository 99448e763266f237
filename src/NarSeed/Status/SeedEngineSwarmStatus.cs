using NarSeed.BitTorrent.Engine;

namespace NarSeed.Status;

/// <summary>
/// <see cref="ISwarmStatusSource"/> over the node's seeding engine, when one is registered; without one (a node
/// started before seeding is wired, a command) it reports a stopped engine with nothing seeded.
/// </summary>
public sealed class SeedEngineSwarmStatus(SeedEngine? engine = null) : ISwarmStatusSource
{
    public SwarmTotals ReadTotals() => engine is null
        ? new SwarmTotals(false, 0, 0, 0, 0)
        : new SwarmTotals(engine.Port != 0, engine.Port, engine.TorrentCount, engine.ConnectedPeerCount,
            engine.BytesUploaded);

    public IReadOnlyList<TorrentSwarmStatus> ReadActiveTorrents() => engine is null
        ? []
        : engine.GetActiveStatistics()
            .Select(s => new TorrentSwarmStatus(s.Torrent.InfoHashV2, s.ConnectedPeers, s.BytesUploaded, s.LastUpload))
            .ToList();
}
