using System.Net;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

/// <summary>The engine's log messages (source-generated, no formatting unless enabled).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening for BitTorrent peers on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(2, LogLevel.Debug, "Peer {Remote} connected for {Torrent} (v2 {V2}, fast {Fast}, extensions {Extensions})")]
    public static partial void PeerConnected(ILogger logger, IPEndPoint remote, SeedTorrent torrent, bool v2, bool fast, bool extensions);

    [LoggerMessage(3, LogLevel.Information, "Peer {Remote} disconnected: {Reason}: {Detail}")]
    public static partial void PeerBroke(ILogger logger, IPEndPoint remote, WireProtocolErrorReason reason, string detail);

    [LoggerMessage(4, LogLevel.Debug, "Peer {Remote} left: {Detail}")]
    public static partial void PeerLeft(ILogger logger, IPEndPoint remote, string detail);

    [LoggerMessage(5, LogLevel.Error, "Peer {Remote}: cannot serve the torrent's data: {Detail}")]
    public static partial void StorageFailed(ILogger logger, IPEndPoint remote, string detail);

    [LoggerMessage(6, LogLevel.Information, "Served metadata piece {Piece} of {Torrent} to {Remote}")]
    public static partial void MetadataServed(ILogger logger, IPEndPoint remote, SeedTorrent torrent, int piece);

    [LoggerMessage(7, LogLevel.Information, "Served {Length} hashes of layer {BaseLayer} from {Index} (+{ProofLayers} proof layers) of {Torrent} to {Remote}")]
    public static partial void HashesServed(ILogger logger, IPEndPoint remote, SeedTorrent torrent, int baseLayer, int index, int length, int proofLayers);

    [LoggerMessage(8, LogLevel.Information, "Rejected a hash request (layer {BaseLayer}, index {Index}, length {Length}) of {Torrent} from {Remote}: {Error}")]
    public static partial void HashRequestRejected(ILogger logger, IPEndPoint remote, SeedTorrent torrent, int baseLayer, int index, int length, MerkleRequestError error);

    [LoggerMessage(9, LogLevel.Information, "Peer {Remote} closed after {Bytes} bytes of {Torrent}")]
    public static partial void PeerClosed(ILogger logger, IPEndPoint remote, string torrent, long bytes);

    [LoggerMessage(10, LogLevel.Debug, "Refused {Remote}: {Limit} connections reached")]
    public static partial void ConnectionRefused(ILogger logger, EndPoint? remote, int limit);

    [LoggerMessage(11, LogLevel.Warning, "Accepting connections on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, EndPoint? endPoint, Exception exception);

    [LoggerMessage(13, LogLevel.Debug, "Closed {Remote} at once: not a plaintext BitTorrent handshake (libtorrent retries in plaintext)")]
    public static partial void NotPlaintext(ILogger logger, IPEndPoint remote);

    [LoggerMessage(12, LogLevel.Error, "The engine heartbeat failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);
}
