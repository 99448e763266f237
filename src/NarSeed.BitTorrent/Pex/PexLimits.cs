namespace NarSeed.BitTorrent.Pex;

/// <summary>BEP 11's limits, and ours on what we accept.</summary>
public static class PexLimits
{
    /// <summary>BEP 11: at most one ut_pex message per minute to a peer.</summary>
    public static readonly TimeSpan MinMessageInterval = TimeSpan.FromMinutes(1);

    /// <summary>BEP 11: after the first message, at most 50 added and 50 dropped entries.</summary>
    public const int MaxEntriesAfterFirst = 50;

    /// <summary>The first message may carry more; libtorrent caps every message at 100 (ut_pex.cpp max_peer_entries).</summary>
    public const int MaxEntriesFirst = 100;

    /// <summary>Entries we take from one received message (per list); the rest are ignored, as libtorrent does.</summary>
    public const int MaxEntriesReceived = 100;

    /// <summary>Largest ut_pex payload we parse: 200 IPv6 entries with flags in four lists, rounded up.</summary>
    public const int MaxMessageLength = 16 * 1024;
}
