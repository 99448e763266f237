namespace NarSeed.BitTorrent.Engine;

/// <summary>An <see cref="ISeedMetadataSource"/> that holds one torrent's info dict and piece layer in memory.</summary>
public sealed class InMemorySeedMetadata : ISeedMetadataSource
{
    private readonly ReadOnlyMemory<byte> _infoBytes;
    private readonly ReadOnlyMemory<byte> _pieceLayer;

    public InMemorySeedMetadata(ReadOnlyMemory<byte> infoBytes, ReadOnlyMemory<byte> pieceLayer)
    {
        _infoBytes = infoBytes;
        _pieceLayer = pieceLayer;
    }

    public ValueTask<ReadOnlyMemory<byte>> GetInfoBytesAsync(SeedTorrent torrent, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_infoBytes);

    public ValueTask<ReadOnlyMemory<byte>> GetPieceLayerAsync(SeedTorrent torrent, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pieceLayer);
}
