using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Pex;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// The download as a discovery client: it registers itself (trackers see <c>event=started</c> with bytes left, LSD
/// announces it), dials what every source finds, marks itself completed when done and is removed (stopped) when the
/// run ends. Our own endpoint and our own peer id are never dialled twice.
/// </summary>
public sealed partial class TorrentDownload
{
    /// <summary>
    /// <c>left</c> announced while the length is not known yet (a magnet before its metadata): any positive value
    /// makes trackers count us as a leecher; one 16 KiB block is the smallest honest amount.
    /// </summary>
    private const long UnknownLeft = 16 * 1024;

    private readonly ConcurrentDictionary<IPEndPoint, bool> _self = new();
    private IReadOnlyList<string> _magnetTrackers = [];
    private long? _magnetLength;
    private DiscoveryTorrent? _announced;
    private int _markedCompleted;
    private HashSet<IPAddress>? _ownAddresses;

    /// <summary>Endpoints found to be ourselves (our listen port at our address, or a handshake with our peer id).</summary>
    public IReadOnlyCollection<IPEndPoint> SelfEndPoints => _self.Keys.ToArray();

    /// <summary>Connected peers that negotiated ut_pex with us.</summary>
    public int PexPeers => _peers.Keys.Count(p => p.SupportsPex);

    /// <summary>Peers learned from ut_pex messages on our connections (reported to discovery).</summary>
    public long PexPeersReceived => Interlocked.Read(ref _pexPeersReceived);

    private long _pexPeersReceived;

    private void RememberMagnet(Metainfo.MagnetLink magnet)
    {
        _magnetTrackers = magnet.Trackers;
        _magnetLength = magnet.ExactLength;
    }

    /// <summary>Registers the torrent with discovery (needs its v2 hash: discovery keys torrents by it).</summary>
    private void StartAnnouncing(IPeerSource discovery)
    {
        if (!Options.AnnounceToDiscovery || _infoHashV2 is not { Length: 32 } v2) return;
        var urls = _torrent is { } torrent ? torrent.Trackers : _magnetTrackers.Select(t => (IReadOnlyList<string>)[t]).ToList();
        var tiers = urls.Select(tier => (IReadOnlyList<Uri>)tier
                .Select(t => Uri.TryCreate(t, UriKind.Absolute, out var u) ? u : null).OfType<Uri>().ToList())
            .Where(tier => tier.Count > 0).ToList();
        var entry = new DiscoveryTorrent(v2, _infoHashV1 is { Length: 20 } v1 ? v1 : null, tiers, AnnounceProgress);
        try
        {
            discovery.Add(entry);
            _announced = entry;
        }
        catch (InvalidOperationException)
        {
            // Already registered by its owner (e.g. a node seeding and downloading the same torrent): watch only.
        }
    }

    /// <summary>Waits for the end of the download and tells the trackers (event=completed).</summary>
    private async Task AnnounceCompletionAsync(IPeerSource discovery, CancellationToken token)
    {
        await _complete.Task.WaitAsync(token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_complete.Task.IsCompletedSuccessfully) MarkCompletedOnce(discovery);
    }

    private void MarkCompletedOnce(IPeerSource discovery)
    {
        if (Volatile.Read(ref _announced) is { } entry && Interlocked.Exchange(ref _markedCompleted, 1) == 0) discovery.MarkCompleted(entry);
    }

    /// <summary>The run ended: trackers that saw the torrent start get a stopped event.</summary>
    private void StopAnnouncing()
    {
        if (Options.Discovery is not { } discovery) return;
        // The run ends right at completion: completed goes first (the background waiter may not have run yet).
        if (IsComplete) MarkCompletedOnce(discovery);
        if (Interlocked.Exchange(ref _announced, null) is { } entry) discovery.Remove(entry);
    }

    private TrackerProgress AnnounceProgress()
    {
        var downloaded = BytesFromPeers + BytesFromWebSeeds;
        if (IsComplete) return new TrackerProgress(0, downloaded, 0);
        var length = _torrent?.Length ?? _magnetLength;
        var left = length is { } l ? Math.Max(1, l - downloaded - BytesAlreadyOnDisk) : UnknownLeft;
        return new TrackerProgress(0, downloaded, left);
    }

    /// <summary>A peer from discovery (tracker, LSD, PEX): dialled unless it is our own announced endpoint.</summary>
    private void AddDiscoveredPeer(IPEndPoint peer)
    {
        if (peer.Address.IsIPv4MappedToIPv6) peer = new IPEndPoint(peer.Address.MapToIPv4(), peer.Port);
        if (!IsSelf(peer)) AddPeer(peer);
    }

    /// <summary>True for our own listen endpoint (a tracker hands it back) and for endpoints that answered with our peer id.</summary>
    private bool IsSelf(IPEndPoint peer)
    {
        if (_self.ContainsKey(peer)) return true;
        if (Options.ListenPort <= 0 || peer.Port != Options.ListenPort) return false;
        if (IPAddress.IsLoopback(peer.Address) || OwnAddresses().Contains(peer.Address))
        {
            _self.TryAdd(peer, true);
            return true;
        }
        return false;
    }

    /// <summary>The peer's handshake carried our peer id: it is us; never dial it again.</summary>
    internal void OnSelfConnection(IPEndPoint peer)
    {
        _self.TryAdd(peer, true);
        _known.TryRemove(peer, out _);
    }

    private HashSet<IPAddress> OwnAddresses()
    {
        if (_ownAddresses is { } known) return known;
        var addresses = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses) addresses.Add(unicast.Address);
            }
        }
        catch (NetworkInformationException)
        {
        }
        return _ownAddresses = addresses;
    }

    /// <summary>Heartbeat: prepares the next ut_pex message for every peer that supports it (BEP 11 limits in PexState).</summary>
    private void OfferPex()
    {
        if (Options.Discovery is not { PexEnabled: true }) return;
        var connected = _peers.Keys.Where(p => p.IsHandshaken && !_self.ContainsKey(p.Remote))
            .Select(p => new PexPeer(p.Remote, PexFlags.None)).ToList();
        foreach (var peer in _peers.Keys) peer.OfferPex(connected);
    }

    /// <summary>A connection's ut_pex message: its added peers go to discovery, which hands new ones back to dial.</summary>
    internal void OnPexPeers(PexMessage message)
    {
        if (Options.Discovery is not { PexEnabled: true } discovery) return;
        foreach (var peer in message.Added)
        {
            Interlocked.Increment(ref _pexPeersReceived);
            if (!discovery.Report(HandshakeHash, peer.EndPoint, PeerSource.Pex)) AddDiscoveredPeer(peer.EndPoint);
        }
    }
}
