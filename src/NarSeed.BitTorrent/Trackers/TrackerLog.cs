using Microsoft.Extensions.Logging;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>Log messages of the tracker clients and the announce scheduler.</summary>
internal static partial class TrackerLog
{
    [LoggerMessage(101, LogLevel.Debug, "UDP tracker {Url}: no reply to attempt {Attempt} within {Wait}; retransmitting")]
    public static partial void UdpRetransmit(ILogger logger, Uri url, int attempt, TimeSpan wait);

    [LoggerMessage(102, LogLevel.Warning, "UDP tracker {Url}: dropped a reply of {Length} bytes: {Why}")]
    public static partial void UdpStray(ILogger logger, Uri url, int length, string why);

    [LoggerMessage(103, LogLevel.Warning, "Tracker {Url}: announce of {InfoHash} failed ({Reason}): {Detail}; next try in {Delay}")]
    public static partial void AnnounceFailed(ILogger logger, Uri url, string infoHash, TrackerErrorReason reason, string detail, TimeSpan delay);

    [LoggerMessage(104, LogLevel.Debug, "Tracker {Url}: announced {InfoHash} ({Event}): {Peers} peers, next in {Interval}")]
    public static partial void Announced(ILogger logger, Uri url, string infoHash, TrackerEvent @event, int peers, TimeSpan interval);

    [LoggerMessage(105, LogLevel.Warning, "Tracker {Url} warns: {Message}")]
    public static partial void TrackerWarning(ILogger logger, Uri url, string message);

    [LoggerMessage(106, LogLevel.Warning, "Tracker {Url}: scrape failed ({Reason}): {Detail}")]
    public static partial void ScrapeFailed(ILogger logger, Uri url, TrackerErrorReason reason, string detail);

    [LoggerMessage(107, LogLevel.Information, "Sent {Sent} of {Total} stopped announces before the deadline")]
    public static partial void StoppedSent(ILogger logger, int sent, int total);

    [LoggerMessage(108, LogLevel.Warning, "Ignoring tracker {Url}: {Detail}")]
    public static partial void UnsupportedTracker(ILogger logger, string url, string detail);
}
