using System.Net;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>A tracker's accepted announce reply.</summary>
public sealed record AnnounceResponse
{
    public required TimeSpan Interval { get; init; }

    public TimeSpan? MinInterval { get; init; }

    public string? TrackerId { get; init; }

    public string? WarningMessage { get; init; }

    /// <summary>Seeders (<c>complete</c>), if the tracker said.</summary>
    public int? Seeders { get; init; }

    /// <summary>Leechers (<c>incomplete</c>), if the tracker said.</summary>
    public int? Leechers { get; init; }

    /// <summary>Peers, IPv4 and IPv6, at most <see cref="TrackerLimits.MaxPeers"/>, without duplicates.</summary>
    public required IReadOnlyList<IPEndPoint> Peers { get; init; }
}
