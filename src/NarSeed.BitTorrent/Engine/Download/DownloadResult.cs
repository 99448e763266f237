namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>What a finished download did: where the file is and where its bytes came from.</summary>
public sealed record DownloadResult(
    string Path,
    long Bytes,
    double Seconds,
    long BytesFromPeers,
    long BytesFromWebSeeds,
    long BytesAlreadyOnDisk,
    int PeersBanned,
    int WebSeedsDropped);
