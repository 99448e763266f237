namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// Bounds on what a tracker may send us and how long we wait. Every default is named once here; setters validate.
/// </summary>
public sealed record TrackerLimits
{
    /// <summary>
    /// 1 MiB of HTTP response body: 16,000 compact IPv6 peers fit in 288 KB, and libtorrent caps tracker replies at
    /// 1 MiB too (<c>max_http_recv_buffer_size</c>'s default of 4 MiB is for web seeds).
    /// </summary>
    public const int DefaultMaxResponseLength = 1024 * 1024;

    /// <summary>Peers accepted from one announce reply; the rest are ignored (libtorrent asks for 200, <c>num_want</c>).</summary>
    public const int DefaultMaxPeers = 1000;

    /// <summary>libtorrent's <c>tracker_receive_timeout</c> default (10 s) for one HTTP reply.</summary>
    public static readonly TimeSpan DefaultHttpTimeout = TimeSpan.FromSeconds(10);

    /// <summary>BEP 15: wait 15·2^n seconds before retransmitting a UDP request.</summary>
    public static readonly TimeSpan DefaultUdpRetransmitBase = TimeSpan.FromSeconds(15);

    /// <summary>BEP 15 lets n reach 8 (an hour in total); we give up sooner — libtorrent tries 3 times by default.</summary>
    public const int DefaultUdpMaxAttempts = 3;

    /// <summary>BEP 15: a connection id may be used for one minute by the client.</summary>
    public static readonly TimeSpan ConnectionIdLifetime = TimeSpan.FromMinutes(1);

    /// <summary>BEP 15: about 74 info-hashes fit a scrape request in one unfragmented datagram.</summary>
    public const int MaxUdpScrapeHashes = 74;

    /// <summary>Hashes per HTTP scrape request (BEP 48 allows repeats; long URLs are refused by some trackers).</summary>
    public const int DefaultMaxHttpScrapeHashes = 50;

    /// <summary>libtorrent's default when a tracker sends no <c>interval</c> (1800 s).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1800);

    /// <summary>
    /// We never announce one torrent more often than this, whatever the tracker says (libtorrent's
    /// <c>min_announce_interval</c> default is 5 min).
    /// </summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromMinutes(5);

    /// <summary>The defaults above.</summary>
    public static TrackerLimits Default { get; } = new();

    public int MaxResponseLength { get; init => field = Positive(value); } = DefaultMaxResponseLength;

    public int MaxPeers { get; init => field = Positive(value); } = DefaultMaxPeers;

    public TimeSpan HttpTimeout { get; init => field = PositiveTime(value); } = DefaultHttpTimeout;

    public TimeSpan UdpRetransmitBase { get; init => field = PositiveTime(value); } = DefaultUdpRetransmitBase;

    public int UdpMaxAttempts { get; init => field = Positive(value); } = DefaultUdpMaxAttempts;

    public int MaxHttpScrapeHashes { get; init => field = Positive(value); } = DefaultMaxHttpScrapeHashes;

    private static int Positive(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        return value;
    }

    private static TimeSpan PositiveTime(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
        return value;
    }
}
