using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// Every limit of the peer-wire protocol, named once, each with its source (shared/reference/bittorrent.md §5.7).
/// The codec is given these limits by its caller; the engine's peer connection enforces them.
/// </summary>
public static class WireLimits
{
    /// <summary>The block size every client requests and serves: 16 KiB (BEP 3 practice, BEP 52 "16 KiB blocks").</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>Largest message (length prefix value) accepted: 1 MiB, libtorrent's <c>packet_too_large</c> bound.</summary>
    public const int MaxMessageLength = 1024 * 1024;

    /// <summary>Largest request a seeder serves: one 16 KiB block (libtorrent <c>validate_piece_request</c>, BEP 52).</summary>
    public const int MaxRequestLength = BlockSize;

    /// <summary>Outstanding requests accepted from one peer: libtorrent's <c>max_allowed_in_request_queue</c> (2000).</summary>
    public const int MaxRequestQueue = 2000;

    /// <summary>Largest info dict served or accepted through ut_metadata: libtorrent's <c>max_metadata_size</c> (30 MiB).</summary>
    public const int MaxMetadataSize = 30 * 1024 * 1024;

    /// <summary>ut_metadata transfers the info dict in 16 KiB pieces (BEP 9).</summary>
    public const int MetadataPieceSize = 16 * 1024;

    /// <summary>ut_metadata requests queued from one peer: libtorrent queues at most 1024 (<c>ut_metadata.cpp</c>).</summary>
    public const int MaxMetadataRequestQueue = 1024;

    /// <summary>Hash requests queued from one peer; libtorrent sends at most two at a time (<c>hash_picker.cpp</c>).</summary>
    public const int MaxHashRequestQueue = 64;

    /// <summary>Largest hash count in one hash request: libtorrent answers up to 8192 (<c>validate_hash_request</c>).</summary>
    public const int MaxHashRequestLength = 8192;

    /// <summary>
    /// Largest block-layer (base 0) hash request served: libtorrent asks for one piece's blocks; we answer up to 512
    /// blocks (8 MiB of data to hash, BEP 52 "SHOULD be ≤ 512") or one whole piece, and reject more.
    /// </summary>
    public const int MaxBlockLayerHashRequest = 512;

    /// <summary>Largest bencoded BEP 10 / BEP 9 dictionary parsed from a peer (libtorrent keeps them well under this).</summary>
    public const int MaxExtensionDictionaryLength = 64 * 1024;

    /// <summary>A peer must complete its handshake within 10 s (libtorrent <c>handshake_timeout</c>).</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A peer silent for 120 s (not even a keep-alive) is dropped (libtorrent <c>peer_timeout</c>).</summary>
    public static readonly TimeSpan DefaultPeerTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Send a keep-alive when we have sent nothing for this long (BEP 3: "every two minutes"; below peer_timeout).</summary>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(60);

    /// <summary>A connection where neither side is interested is closed after 600 s (libtorrent <c>inactivity_timeout</c>).</summary>
    public static readonly TimeSpan DefaultInactivityTimeout = TimeSpan.FromSeconds(600);

    /// <summary>
    /// Bencode bounds for the dictionaries of BEP 10 extension messages (handshake, ut_metadata headers). Keys need
    /// not be sorted: libtorrent's bdecode accepts any order there, and no hash is taken over these bytes.
    /// </summary>
    public static BencodeLimits ExtensionMessage { get; } = new()
    {
        MaxDepth = 8, MaxItems = 1024, MaxStringLength = MaxExtensionDictionaryLength,
        MaxTotalLength = MaxExtensionDictionaryLength, RequireSortedKeys = false,
    };
}
