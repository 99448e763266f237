namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// One torrent's traffic as the engine saw it since it started: peers connected now, bytes of blocks uploaded (all
/// connections, closed ones included) and when a block was last sent.
/// </summary>
public readonly record struct SeedTorrentStatistics(
    SeedTorrent Torrent,
    int ConnectedPeers,
    long BytesUploaded,
    DateTimeOffset? LastUpload);
