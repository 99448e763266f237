using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.BitTorrent.Lsd;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>
/// Runs the enabled discovery sources (tracker scheduler, LSD; PEX is fed by peer connections) for a set of
/// torrents and merges what they find into one deduplicated peer set per torrent.
/// </summary>
public sealed class PeerDiscovery : IPeerSource, IAsyncDisposable
{
    private readonly DiscoveryOptions _options;
    private readonly ILogger _log;
    private readonly object _lock = new();
    private readonly Dictionary<string, Swarm> _byHash = [];

    public PeerDiscovery(DiscoveryOptions options, ReadOnlyMemory<byte> peerId, Func<int> port, ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        options.Validate();
        _options = options;
        _log = logger ?? NullLogger.Instance;
        if (options.EnableTrackers)
        {
            var schedulerOptions = new AnnounceSchedulerOptions { PeerId = peerId, Port = port, Limits = options.TrackerLimits };
            schedulerOptions = options.ConfigureScheduler?.Invoke(schedulerOptions) ?? schedulerOptions;
            Trackers = new AnnounceScheduler(schedulerOptions, logger, timeProvider)
            {
                PeersReceived = (hash, peers) =>
                {
                    foreach (var peer in peers) Report(hash.Span, peer, PeerSource.Tracker);
                },
            };
        }
        if (options.EnableLsd)
        {
            Lsd = new LsdService(options.Lsd, port, logger, timeProvider)
            {
                PeerAnnounced = (hash, peer) => Report(hash.Span, peer, PeerSource.Lsd),
            };
        }
    }

    /// <summary>The tracker scheduler, or null when trackers are off.</summary>
    public AnnounceScheduler? Trackers { get; }

    /// <summary>The LSD service, or null when LSD is off.</summary>
    public LsdService? Lsd { get; }

    public bool PexEnabled => _options.EnablePex;

    /// <summary>Raised (on the reporting thread) for every new peer of every torrent.</summary>
    public event Action<DiscoveryTorrent, DiscoveredPeer>? PeerDiscovered;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Trackers is not null) await Trackers.StartAsync().ConfigureAwait(false);
        if (Lsd is not null) await Lsd.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Add(DiscoveryTorrent torrent)
    {
        var swarm = new Swarm(torrent);
        lock (_lock)
        {
            foreach (var hash in torrent.AnnounceHashes)
            {
                if (_byHash.ContainsKey(Hex(hash.Span))) throw new InvalidOperationException($"Torrent {torrent} is already discovered.");
            }
            foreach (var hash in torrent.AnnounceHashes) _byHash.Add(Hex(hash.Span), swarm);
        }
        if (Trackers is not null)
        {
            var tiers = _options.Trackers.Count > 0 ? [.. torrent.TrackerTiers, _options.Trackers] : torrent.TrackerTiers;
            if (tiers.Count > 0)
            {
                swarm.Tracked = new TrackedTorrent(torrent.AnnounceHashes, tiers, torrent.Progress);
                Trackers.Add(swarm.Tracked);
            }
        }
        if (Lsd is not null)
        {
            foreach (var hash in torrent.AnnounceHashes) Lsd.Add(hash);
        }
    }

    public bool Remove(DiscoveryTorrent torrent)
    {
        Swarm? swarm;
        lock (_lock)
        {
            if (!_byHash.TryGetValue(Hex(torrent.Key.Span), out swarm) || !ReferenceEquals(swarm.Torrent, torrent)) return false;
            foreach (var hash in torrent.AnnounceHashes) _byHash.Remove(Hex(hash.Span));
            foreach (var watcher in swarm.Watchers) watcher.TryComplete();
            swarm.Watchers.Clear();
        }
        if (swarm.Tracked is { } tracked) Trackers?.Remove(tracked);
        if (Lsd is not null)
        {
            foreach (var hash in torrent.AnnounceHashes) Lsd.Remove(hash);
        }
        return true;
    }

    /// <summary>The torrent finished downloading: its trackers get <c>event=completed</c> at once.</summary>
    public void MarkCompleted(DiscoveryTorrent torrent)
    {
        Swarm? swarm;
        lock (_lock)
        {
            if (!_byHash.TryGetValue(Hex(torrent.Key.Span), out swarm) || !ReferenceEquals(swarm.Torrent, torrent)) return;
        }
        if (swarm.Tracked is { } tracked) Trackers?.MarkCompleted(tracked);
    }

    public bool Report(ReadOnlySpan<byte> infoHash, IPEndPoint peer, PeerSource source)
    {
        if (source == PeerSource.Pex && !_options.EnablePex) return false;
        if (peer.Port == 0 || peer.Address.Equals(IPAddress.Any) || peer.Address.Equals(IPAddress.IPv6Any)) return false;
        var endPoint = peer.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(peer.Address.MapToIPv4(), peer.Port) : peer;
        var found = new DiscoveredPeer(endPoint, source);
        Swarm? swarm;
        lock (_lock)
        {
            if (!_byHash.TryGetValue(Hex(infoHash), out swarm)) return false;
            if (swarm.Peers.Count >= _options.MaxPeersPerTorrent || !swarm.Peers.TryAdd(endPoint, found)) return false;
            foreach (var watcher in swarm.Watchers) watcher.TryWrite(found);
        }
        DiscoveryLog.PeerFound(_log, swarm.Torrent.ToString(), endPoint, source);
        PeerDiscovered?.Invoke(swarm.Torrent, found);
        return true;
    }

    /// <summary>The peers known now for a torrent (any of its hashes).</summary>
    public IReadOnlyList<DiscoveredPeer> KnownPeers(ReadOnlySpan<byte> infoHash)
    {
        lock (_lock) return _byHash.TryGetValue(Hex(infoHash), out var swarm) ? [.. swarm.Peers.Values] : [];
    }

    public async IAsyncEnumerable<DiscoveredPeer> WatchAsync(ReadOnlyMemory<byte> infoHash,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Unbounded is safe: the dedupe set caps what can ever be written at MaxPeersPerTorrent.
        var channel = Channel.CreateUnbounded<DiscoveredPeer>(new UnboundedChannelOptions { SingleReader = true });
        Swarm? swarm;
        lock (_lock)
        {
            if (!_byHash.TryGetValue(Hex(infoHash.Span), out swarm)) yield break;
            foreach (var peer in swarm.Peers.Values) channel.Writer.TryWrite(peer);
            swarm.Watchers.Add(channel.Writer);
        }
        try
        {
            await foreach (var peer in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return peer;
        }
        finally
        {
            lock (_lock) swarm.Watchers.Remove(channel.Writer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Trackers is not null) await Trackers.DisposeAsync().ConfigureAwait(false);
        if (Lsd is not null) await Lsd.DisposeAsync().ConfigureAwait(false);
    }

    private static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash[..Math.Min(hash.Length, 20)]);

    private sealed class Swarm(DiscoveryTorrent torrent)
    {
        public DiscoveryTorrent Torrent { get; } = torrent;
        public Dictionary<IPEndPoint, DiscoveredPeer> Peers { get; } = [];
        public List<ChannelWriter<DiscoveredPeer>> Watchers { get; } = [];
        public TrackedTorrent? Tracked { get; set; }
    }
}
