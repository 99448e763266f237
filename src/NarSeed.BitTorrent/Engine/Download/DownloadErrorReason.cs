namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>Why a download failed.</summary>
public enum DownloadErrorReason
{
    /// <summary>The torrent (or magnet) cannot be downloaded by this client, e.g. a v1-only torrent.</summary>
    Unsupported,

    /// <summary>Metadata fetched from peers did not hash to the magnet's info-hash, or did not parse.</summary>
    InvalidMetadata,

    /// <summary>No source delivered anything verifiable within the stall timeout.</summary>
    Stalled,

    /// <summary>The output directory or part file cannot be used.</summary>
    Storage,
}
