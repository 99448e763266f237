using System.ComponentModel.DataAnnotations;

namespace NarSeed.Hosting;

/// <summary>The node's BitTorrent side: configuration section <c>BitTorrent</c>.</summary>
public sealed class BitTorrentOptions
{
    /// <summary>The port BitTorrent clients conventionally use first (6881–6889, BEP 3's era; libtorrent's default).</summary>
    public const int DefaultPort = 6881;

    /// <summary>TCP port of the peer listener, IPv4 and IPv6 (<c>--bt-port</c>).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>Upload rate limit in bytes per second over all peers (<c>--upload-limit</c>); null means unlimited.</summary>
    [Range(1, long.MaxValue)]
    public long? UploadLimit { get; set; }

    /// <summary>Make hybrid v1+v2 torrents instead of v2-only ones (<c>--hybrid</c>).</summary>
    public bool Hybrid { get; set; }

    /// <summary>Tracker announce URLs written into every torrent (<c>--tracker</c>, repeatable).</summary>
    public List<string> Trackers { get; set; } = [];

    /// <summary>Local service discovery (BEP 14) on the LAN's multicast groups; <c>--no-lsd</c> turns it off.</summary>
    public bool Lsd { get; set; } = true;

    /// <summary>How often the node scrapes its trackers for every seeded torrent (batched), for the status page's
    /// seeder counts and nars at risk.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Peer exchange (BEP 11, ut_pex) with connected peers; <c>--no-pex</c> turns it off.</summary>
    public bool Pex { get; set; } = true;

    /// <summary>The address peers are told to connect to (magnet <c>x.pe</c>), <c>ADDRESS[:PORT]</c>; by default the
    /// HTTP listen host and <see cref="Port"/>.</summary>
    public string? PublicAddress { get; set; }
}
