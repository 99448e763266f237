namespace NarSeed.BitTorrent.Metainfo;

/// <summary>Which BitTorrent protocol versions a torrent's info dict serves (bittorrent.md §2.5, §3).</summary>
public enum TorrentVersion
{
    /// <summary>BEP 3 only: <c>pieces</c> of SHA-1 hashes, a SHA-1 info-hash, no Merkle tree.</summary>
    V1Only,
    /// <summary>BEP 52 only (<c>meta version</c> 2, <c>file tree</c>): what NarSeed makes by default.</summary>
    V2Only,
    /// <summary>Both: the v2 fields plus v1 <c>length</c> and <c>pieces</c> for the same file.</summary>
    Hybrid,
}
