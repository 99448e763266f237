using System.Net;
using NarSeed.BitTorrent.Discovery;

namespace NarSeed.Proxy;

/// <summary>
/// The proxy's discovery as the fetched-nar seeder's engine sees it: ut_pex on seeding connections and peers reported
/// back, but no registration of its own — each nar's <see cref="FetchAnnouncement"/> registers it with trackers and
/// LSD from the start of its fetch, and a second registration under the same hash would be refused.
/// </summary>
internal sealed class PexOnlyPeerSource(IPeerSource discovery) : IPeerSource
{
    public bool PexEnabled => discovery.PexEnabled;

    public void Add(DiscoveryTorrent torrent)
    {
    }

    public bool Remove(DiscoveryTorrent torrent) => false;

    public IAsyncEnumerable<DiscoveredPeer> WatchAsync(ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken = default) =>
        discovery.WatchAsync(infoHash, cancellationToken);

    public bool Report(ReadOnlySpan<byte> infoHash, IPEndPoint peer, PeerSource source) => discovery.Report(infoHash, peer, source);
}
