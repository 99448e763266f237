using System.Net;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>
/// What the engine (seeder and downloader) needs from peer discovery: start and stop looking for a torrent's peers,
/// read the deduplicated endpoints found for it (each with the source that found it first), and feed back peers that
/// connected peers tell about (PEX) or the user gave.
/// </summary>
public interface IPeerSource
{
    /// <summary>Whether peer exchange is on (the engine then negotiates ut_pex).</summary>
    bool PexEnabled { get; }

    /// <summary>Starts announcing and looking up <paramref name="torrent"/> on every enabled source.</summary>
    void Add(DiscoveryTorrent torrent);

    /// <summary>The torrent finished downloading: trackers get <c>event=completed</c> (nothing to do by default).</summary>
    void MarkCompleted(DiscoveryTorrent torrent)
    {
    }

    /// <summary>Stops announcing (trackers get a stopped event) and forgets its peers.</summary>
    bool Remove(DiscoveryTorrent torrent);

    /// <summary>
    /// Every peer known for the torrent with this 20-byte key (truncated v2 hash, or v1 hash of a hybrid), then each new
    /// one as it is found, until cancelled or the torrent is removed. Endpoints are never repeated.
    /// </summary>
    IAsyncEnumerable<DiscoveredPeer> WatchAsync(ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken = default);

    /// <summary>Reports a peer; returns false if it was already known or the torrent is not being discovered.</summary>
    bool Report(ReadOnlySpan<byte> infoHash, IPEndPoint peer, PeerSource source);
}
