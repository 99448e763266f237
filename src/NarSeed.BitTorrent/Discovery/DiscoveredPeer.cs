using System.Net;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>A peer endpoint found for a torrent, with the source that first reported it.</summary>
public readonly record struct DiscoveredPeer(IPEndPoint EndPoint, PeerSource Source);
