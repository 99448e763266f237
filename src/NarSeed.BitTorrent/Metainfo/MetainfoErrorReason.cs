namespace NarSeed.BitTorrent.Metainfo;

/// <summary>Why a .torrent file was rejected (the rules of libtorrent's torrent_info loader, bittorrent.md §2, §3, §9.1).</summary>
public enum MetainfoErrorReason
{
    /// <summary>Not canonical bencoding, or over a limit (unordered keys, overlong integers, deep nesting, …).</summary>
    InvalidBencoding,
    /// <summary>The top level is not a dictionary, or it has no <c>info</c> dictionary.</summary>
    MissingInfo,
    /// <summary><c>meta version</c> above 2 (libtorrent: torrent_unknown_version).</summary>
    UnsupportedMetaVersion,
    /// <summary><c>piece length</c> missing or out of range: for v2 not a power of two or below 16 KiB, for v1 not positive (libtorrent: torrent_missing_piece_length).</summary>
    InvalidPieceLength,
    /// <summary><c>name</c> missing, empty, not UTF-8, or not a single path element.</summary>
    InvalidName,
    /// <summary><c>file tree</c> missing or malformed.</summary>
    InvalidFileTree,
    /// <summary>More than one file, or a directory (v1 <c>files</c>, or a v2 file-tree directory): NarSeed torrents hold exactly one file.</summary>
    NotSingleFile,
    /// <summary>A file length missing, negative, zero or too large.</summary>
    InvalidLength,
    /// <summary>A missing, short or all-zero <c>pieces root</c> (libtorrent: torrent_missing_pieces_root).</summary>
    InvalidPiecesRoot,
    /// <summary>The file's <c>piece layers</c> entry has the wrong length or does not reduce to the pieces root.</summary>
    InvalidPieceLayer,
    /// <summary>A hybrid whose v1 fields disagree with the v2 file tree (libtorrent: torrent_inconsistent_files).</summary>
    InconsistentFiles,
    /// <summary>A v1 <c>pieces</c> string missing, or whose length is not 20 × the number of pieces.</summary>
    InvalidV1Pieces,
}
