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
}
