namespace NarSeed.Status;

/// <summary>
/// What the status page reads from the seeding side. The node's implementation is <see cref="SeedEngineSwarmStatus"/>
/// over its <see cref="NarSeed.BitTorrent.Engine.SeedEngine"/>; the page never touches the engine itself.
/// </summary>
public interface ISwarmStatusSource
{
    SwarmTotals ReadTotals();

    /// <summary>Torrents with connected peers or uploads since start (the active set, not every registered one).</summary>
    IReadOnlyList<TorrentSwarmStatus> ReadActiveTorrents();
}
