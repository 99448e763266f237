using System.Net;
using Microsoft.Extensions.Logging;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>The downloader's log messages (source-generated).</summary>
internal static partial class DownloadLog
{
    [LoggerMessage(101, LogLevel.Debug, "Peer {Remote} closed: {Detail}")]
    public static partial void PeerClosed(ILogger logger, IPEndPoint remote, string detail);

    [LoggerMessage(102, LogLevel.Warning, "Banned peer {Remote}: {Detail}")]
    public static partial void PeerBanned(ILogger logger, IPEndPoint remote, string detail);

    [LoggerMessage(103, LogLevel.Information, "Metadata of {Name} verified ({Bytes} bytes)")]
    public static partial void MetadataVerified(ILogger logger, string name, int bytes);

    [LoggerMessage(104, LogLevel.Information, "Piece layer of {Name} verified against its root ({Pieces} pieces)")]
    public static partial void PieceLayerVerified(ILogger logger, string name, int pieces);

    [LoggerMessage(105, LogLevel.Information, "Resuming {Name}: {Pieces} of {Total} pieces verified on disk")]
    public static partial void Resumed(ILogger logger, string name, int pieces, int total);

    [LoggerMessage(106, LogLevel.Warning, "Dropped web seed {Url}: {Detail}")]
    public static partial void WebSeedDropped(ILogger logger, string url, string detail);

    [LoggerMessage(107, LogLevel.Information, "Web seed {Url} failed, retrying in {Delay}: {Detail}")]
    public static partial void WebSeedRetry(ILogger logger, string url, TimeSpan delay, string detail);

    [LoggerMessage(108, LogLevel.Information, "Download of {Name} complete: {Path}")]
    public static partial void Completed(ILogger logger, string name, string path);

    [LoggerMessage(109, LogLevel.Warning, "Metadata from peers did not match the info-hash; fetching it again")]
    public static partial void MetadataMismatch(ILogger logger);
}
