namespace NarSeed.Status;

/// <summary>A torrent's live swarm figures: peers connected to us now, bytes we uploaded since start, last upload.</summary>
public sealed record TorrentSwarmStatus(
    ReadOnlyMemory<byte> InfoHashV2,
    int ConnectedPeers,
    long UploadedBytes,
    DateTimeOffset? LastUpload);
