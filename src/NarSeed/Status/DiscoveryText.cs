using System.Globalization;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.Status;

/// <summary>The short state strings the status page shows for a tracker and for local discovery.</summary>
public static class DiscoveryText
{
    /// <summary>"working (last announce …)", "failing: reason (n in a row)" or "announcing".</summary>
    public static TrackerStatus Tracker(TrackerReport report)
    {
        var state = report switch
        {
            { ConsecutiveFailures: > 0 } => $"failing: {report.LastError} ({report.ConsecutiveFailures} in a row)",
            { LastSuccess: { } at } => $"working (last announce {at.ToString("u", CultureInfo.InvariantCulture)})"
                + (report.LastWarning is { } warning ? $", warning: {warning}" : ""),
            _ => "announcing",
        };
        return new TrackerStatus(report.Url, state);
    }

    /// <summary>"off", or "on (N groups, M sent)": multicast groups joined and announce packets sent.</summary>
    public static string Lsd(PeerDiscovery? discovery)
    {
        if (discovery?.Lsd is not { } lsd) return "off";
        var groups = lsd.Groups.Count;
        return groups == 0
            ? "on, but no multicast group joined"
            : $"on ({groups} group{(groups == 1 ? "" : "s")}, {lsd.PacketsSent} sent)";
    }
}
