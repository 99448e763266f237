using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Pex;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Engine;

public sealed partial class SeedEngine
{
    private readonly Dictionary<SeedTorrent, DiscoveryTorrent> _discovered = new(ReferenceEqualityComparer.Instance);
    private long _pexSent;
    private long _pexReceived;
    private long _lastPexTick;

    /// <summary>
    /// Where registered torrents are announced (trackers, LSD) and where peers learnt by PEX go; set it before
    /// registering torrents. Null: no discovery, no ut_pex.
    /// </summary>
    public IPeerSource? Discovery { get; set; }

    /// <summary>Extra tracker tiers announced for every registered torrent (besides <see cref="DiscoveryOptions.Trackers"/>).</summary>
    public IReadOnlyList<IReadOnlyList<Uri>> TrackerTiers { get; set; } = [];

    /// <summary>ut_pex messages sent to peers.</summary>
    public long PexMessagesSent => Interlocked.Read(ref _pexSent);

    /// <summary>ut_pex messages received from peers.</summary>
    public long PexMessagesReceived => Interlocked.Read(ref _pexReceived);

    internal bool PexEnabled => Discovery?.PexEnabled == true;

    internal void CountPexSent() => Interlocked.Increment(ref _pexSent);

    internal void CountPexReceived() => Interlocked.Increment(ref _pexReceived);

    private void AnnounceRegistered(SeedTorrent torrent)
    {
        if (Discovery is not { } discovery) return;
        // A seeder has nothing left to download.
        Func<TrackerProgress> nothingLeft = () => new TrackerProgress(0, 0, 0);
        var entry = torrent.InfoHashV2 is { } v2
            ? new DiscoveryTorrent(v2, torrent.InfoHashV1 is { } v1 ? v1 : null, TrackerTiers, nothingLeft)
            : DiscoveryTorrent.ForV1Only(torrent.SwarmHash, TrackerTiers, nothingLeft);
        lock (_registryLock) _discovered[torrent] = entry;
        discovery.Add(entry);
    }

    private void AnnounceUnregistered(SeedTorrent torrent)
    {
        DiscoveryTorrent? entry;
        lock (_registryLock)
        {
            if (!_discovered.Remove(torrent, out entry)) return;
        }
        Discovery?.Remove(entry);
    }

    /// <summary>Heartbeat: every few seconds, offer each ut_pex peer the torrent's other connected peers.</summary>
    private void PexTick(long now)
    {
        if (!PexEnabled || Time.GetElapsedTime(_lastPexTick, now) < PexTickInterval) return;
        _lastPexTick = now;
        foreach (var group in _connections.Keys.Where(c => c.Torrent is not null).GroupBy(c => c.Torrent!))
        {
            var connections = group.ToList();
            if (connections.Count < 2 && connections.All(c => c.ListenEndPoint is null)) continue;
            var peers = connections.Select(c => c.ListenEndPoint).OfType<System.Net.IPEndPoint>()
                .Select(e => new PexPeer(e, PexFlags.Reachable)).ToList();
            foreach (var connection in connections) connection.OfferPex(peers);
        }
    }

    /// <summary>How often connected peer sets are compared; each peer still gets at most one message a minute.</summary>
    private static readonly TimeSpan PexTickInterval = TimeSpan.FromSeconds(2);
}
