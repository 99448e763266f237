namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// Where the engine gets the bulky parts of a registered torrent, only when a live connection needs them: the raw
/// info dict (BEP 9 metadata) and the BEP 52 piece layer. The app can back this with SQLite or files; RAM holds them
/// only while some peer of that torrent is connected.
/// </summary>
public interface ISeedMetadataSource
{
    /// <summary>The exact bencoded info dict whose SHA-256 (and SHA-1 for a hybrid) is the torrent's info-hash.</summary>
    ValueTask<ReadOnlyMemory<byte>> GetInfoBytesAsync(SeedTorrent torrent, CancellationToken cancellationToken);

    /// <summary>The piece layer (32 bytes per piece); empty when the file is no larger than one piece.</summary>
    ValueTask<ReadOnlyMemory<byte>> GetPieceLayerAsync(SeedTorrent torrent, CancellationToken cancellationToken);
}
