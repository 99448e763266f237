using System.Runtime.CompilerServices;

namespace NarSeed.BitTorrent.Engine;

public sealed partial class SeedEngine
{
    /// <summary>Per-torrent upload totals; weak keys, so an unregistered torrent's entry goes with it.</summary>
    private readonly ConditionalWeakTable<SeedTorrent, TorrentTraffic> _traffic = new();

    /// <summary>Bytes uploaded and the time of the last block for one torrent (updated by its connections).</summary>
    private sealed class TorrentTraffic
    {
        public long Bytes;
        public long LastUploadMilliseconds = -1;
    }

    /// <summary>Counts an uploaded batch of <paramref name="torrent"/>'s blocks, engine-wide and per torrent.</summary>
    internal void CountUpload(SeedTorrent torrent, int bytes)
    {
        CountUpload(bytes);
        var traffic = _traffic.GetValue(torrent, static _ => new TorrentTraffic());
        Interlocked.Add(ref traffic.Bytes, bytes);
        Volatile.Write(ref traffic.LastUploadMilliseconds, Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Peers connected now to any torrent (handshaken; connections still in the handshake are not counted).</summary>
    public int ConnectedPeerCount
    {
        get
        {
            lock (_registryLock) return _active.Values.Sum(a => a.Connections);
        }
    }

    /// <summary>The traffic of one torrent (zeros when nothing was uploaded and no peer is connected).</summary>
    public SeedTorrentStatistics GetStatistics(SeedTorrent torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        int peers;
        lock (_registryLock) peers = _active.TryGetValue(torrent, out var active) ? active.Connections : 0;
        return _traffic.TryGetValue(torrent, out var traffic) ? Read(torrent, peers, traffic) : new(torrent, peers, 0, null);
    }

    /// <summary>
    /// Every torrent with connected peers or uploaded bytes since the engine started; idle torrents that never
    /// uploaded are left out, so the cost follows the active set, not the number registered.
    /// </summary>
    public IReadOnlyList<SeedTorrentStatistics> GetActiveStatistics()
    {
        Dictionary<SeedTorrent, int> peers;
        lock (_registryLock)
        {
            peers = new Dictionary<SeedTorrent, int>(ReferenceEqualityComparer.Instance);
            foreach (var (torrent, active) in _active) peers[torrent] = active.Connections;
        }
        var result = new List<SeedTorrentStatistics>();
        foreach (var (torrent, traffic) in _traffic)
        {
            result.Add(Read(torrent, peers.Remove(torrent, out var count) ? count : 0, traffic));
        }
        foreach (var (torrent, count) in peers) result.Add(new(torrent, count, 0, null));
        return result;
    }

    private static SeedTorrentStatistics Read(SeedTorrent torrent, int peers, TorrentTraffic traffic)
    {
        var last = Volatile.Read(ref traffic.LastUploadMilliseconds);
        return new(torrent, peers, Interlocked.Read(ref traffic.Bytes),
            last < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(last));
    }
}
