namespace NarSeed.BitTorrent.Metainfo;

/// <summary>Why a magnet link was rejected (BEP 9, and libtorrent's parse_magnet_uri rules, bittorrent.md §4).</summary>
public enum MagnetErrorReason
{
    /// <summary>Does not start with <c>magnet:?</c>.</summary>
    InvalidScheme,
    /// <summary>No <c>xt=urn:btih:</c> or <c>xt=urn:btmh:</c> (libtorrent: missing_info_hash_in_uri).</summary>
    MissingInfoHash,
    /// <summary>A btih that is not 40 hex or 32 base32 characters, or a btmh that is not <c>1220</c> + 64 hex.</summary>
    InvalidInfoHash,
    /// <summary>Two different info-hashes of the same kind.</summary>
    ConflictingInfoHash,
    /// <summary>An <c>xl</c> that is not a non-negative integer.</summary>
    InvalidLength,
    /// <summary>An <c>x.pe</c> that is not host:port, ipv4:port or [ipv6]:port.</summary>
    InvalidPeer,
    /// <summary>A <c>tr</c> or <c>ws</c> that is not an absolute URL.</summary>
    InvalidUrl,
    /// <summary>A malformed %-escape.</summary>
    InvalidEscape,
}
