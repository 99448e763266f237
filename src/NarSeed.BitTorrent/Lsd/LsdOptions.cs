using System.Net;

namespace NarSeed.BitTorrent.Lsd;

/// <summary>BEP 14 settings. Defaults are the BEP's groups, port and rate limits.</summary>
public sealed class LsdOptions
{
    /// <summary>BEP 14's IPv4 group.</summary>
    public static readonly IPAddress IPv4Group = IPAddress.Parse("239.192.152.143");

    /// <summary>BEP 14's IPv6 group (site-local scope).</summary>
    public static readonly IPAddress IPv6Group = IPAddress.Parse("ff15::efc0:988f");

    /// <summary>BEP 14's UDP port.</summary>
    public const int DefaultPort = 6771;

    /// <summary>BEP 14: keep packets at most 1400 bytes so they are never fragmented.</summary>
    public const int MaxPacketLength = 1400;

    /// <summary>BEP 14: announce each torrent every 5 minutes.</summary>
    public static readonly TimeSpan DefaultAnnounceInterval = TimeSpan.FromMinutes(5);

    /// <summary>BEP 14: to avoid multicast storms, send at most one announce per minute.</summary>
    public static readonly TimeSpan DefaultMinPacketInterval = TimeSpan.FromMinutes(1);

    public bool EnableIPv4 { get; set; } = true;

    public bool EnableIPv6 { get; set; } = true;

    public int Port { get; set; } = DefaultPort;

    public TimeSpan AnnounceInterval { get; set; } = DefaultAnnounceInterval;

    public TimeSpan MinPacketInterval { get; set; } = DefaultMinPacketInterval;

    /// <summary>Multicast time-to-live (hops); 1 keeps announces on the local network segment.</summary>
    public int TimeToLive { get; set; } = 1;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AnnounceInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinPacketInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TimeToLive);
    }
}
