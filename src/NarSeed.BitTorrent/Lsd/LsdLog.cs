using System.Net;
using Microsoft.Extensions.Logging;

namespace NarSeed.BitTorrent.Lsd;

/// <summary>Log messages of local service discovery.</summary>
internal static partial class LsdLog
{
    [LoggerMessage(201, LogLevel.Information, "LSD joined {Group} on port {Port}")]
    public static partial void Joined(ILogger logger, IPAddress group, int port);

    [LoggerMessage(202, LogLevel.Warning, "LSD cannot join {Group}: {Error}")]
    public static partial void JoinFailed(ILogger logger, IPAddress group, string error);

    [LoggerMessage(203, LogLevel.Debug, "LSD announced {Count} info-hashes to {Group}")]
    public static partial void Announced(ILogger logger, IPEndPoint group, int count);

    [LoggerMessage(204, LogLevel.Debug, "LSD send to {Group} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint group, string error);

    [LoggerMessage(205, LogLevel.Debug, "LSD dropped a malformed packet of {Length} bytes from {Sender}")]
    public static partial void Malformed(ILogger logger, IPEndPoint sender, int length);

    [LoggerMessage(206, LogLevel.Information, "LSD: peer {Peer} announced {Count} info-hashes")]
    public static partial void PeerSeen(ILogger logger, IPEndPoint peer, int count);

    [LoggerMessage(207, LogLevel.Error, "LSD: handling a packet from {Sender} failed")]
    public static partial void PacketFailed(ILogger logger, IPEndPoint sender, Exception exception);
}
