using System.Net;
using Microsoft.Extensions.Logging;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>Log messages of the discovery hub.</summary>
internal static partial class DiscoveryLog
{
    [LoggerMessage(301, LogLevel.Information, "Found peer {Peer} for {Torrent} via {Source}")]
    public static partial void PeerFound(ILogger logger, string torrent, IPEndPoint peer, PeerSource source);
}
