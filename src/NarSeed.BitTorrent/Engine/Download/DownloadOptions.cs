using System.Net;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>Settings of one download; every limit is named once here with its source.</summary>
public sealed partial class DownloadOptions
{
    /// <summary>
    /// Block requests kept outstanding per peer: 256 × 16 KiB = 4 MiB in flight, enough to fill a loopback or LAN link
    /// (libtorrent's default out-queue is 500 and it honours the peer's <c>reqq</c>, bittorrent.md §5.4).
    /// </summary>
    public const int DefaultRequestQueueDepth = 256;

    /// <summary>Peers connected at once (libtorrent's default connections_limit per torrent is far higher; nars are small).</summary>
    public const int DefaultMaxPeers = 50;

    /// <summary>Hash requests outstanding per peer: libtorrent sends at most two (bittorrent.md §5.6).</summary>
    public const int MaxHashRequestsPerPeer = 2;

    /// <summary>ut_metadata requests outstanding per peer (the info dict of a single-file torrent is one or two pieces).</summary>
    public const int MaxMetadataRequestsPerPeer = 2;

    /// <summary>Piece-layer hashes asked for in one request: 512, libtorrent's bucket (bittorrent.md §5.6).</summary>
    public const int PieceLayerBucket = 512;

    /// <summary>A TCP connect must succeed within this.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A peer with requests outstanding that sends no block for this long is dropped (libtorrent piece_timeout 20 s).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Web seeds start at once when no peer has delivered a verified piece within this (configurable).</summary>
    public static readonly TimeSpan DefaultWebSeedDelay = TimeSpan.FromSeconds(3);

    /// <summary>A download that makes no verified progress and has no source left for this long fails.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Known peers that dropped (and were not banned) are dialled again after this.</summary>
    public static readonly TimeSpan DefaultRedialInterval = TimeSpan.FromSeconds(2);

    /// <summary>A peer is dialled at most this many times without ever delivering a verified piece.</summary>
    public const int MaxDialAttempts = 10;

    /// <summary>The resume state is rewritten at most this often while pieces are verified.</summary>
    public static readonly TimeSpan ResumeSaveInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Directory the file (and its .part and .resume files while incomplete) goes to.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Peers given by the user (<c>--peer</c>); a magnet's <c>x.pe</c> peers are added.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>Web seeds given by the user (<c>--web-seed</c>); the torrent's <c>url-list</c> and a magnet's <c>ws=</c> are added.</summary>
    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    /// <summary>Optional discovery (trackers, LSD, PEX): each peer it finds for the torrent is dialled.</summary>
    public IPeerSource? Discovery { get; init; }

    /// <summary>Fetch pieces in order (for a consumer reading <see cref="TorrentDownload.OpenStream"/>) instead of rarest first.</summary>
    public bool Streaming { get; init; }

    public int RequestQueueDepth { get; init; } = DefaultRequestQueueDepth;

    /// <summary>Peers unchoked at once to fetch verified pieces from this download (the seeder's default; 0 = never upload).</summary>
    public int UploadSlots { get; init; } = SeedEngineOptions.DefaultUploadSlots;

    /// <summary>Upload bytes per second of this download, all peers together (0 = unlimited).</summary>
    public long UploadRateLimit { get; init; }

    public int MaxPeers { get; init; } = DefaultMaxPeers;

    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    public TimeSpan HandshakeTimeout { get; init; } = WireLimits.DefaultHandshakeTimeout;

    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    public TimeSpan PeerTimeout { get; init; } = WireLimits.DefaultPeerTimeout;

    public TimeSpan KeepAliveInterval { get; init; } = WireLimits.DefaultKeepAliveInterval;

    public TimeSpan WebSeedDelay { get; init; } = DefaultWebSeedDelay;

    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;

    public TimeSpan RedialInterval { get; init; } = DefaultRedialInterval;

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public string ClientName { get; init; } = "NarSeed 0.1";

    public byte[]? PeerId { get; init; }

    /// <summary>Settings for BEP 19 web seeds.</summary>
    public WebSeeds.WebSeedOptions WebSeed { get; init; } = new();

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(OutputDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(RequestQueueDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPeers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(UploadSlots);
        ArgumentOutOfRangeException.ThrowIfNegative(UploadRateLimit);
        if (PeerId is { Length: not Handshake.PeerIdLength }) throw new ArgumentException("A peer id has 20 bytes.", nameof(PeerId));
    }
}
