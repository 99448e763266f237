namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// What a registered torrent needs while some peer is connected to it: its connection count and, loaded once on
/// first use, its info dict and piece layer. It is dropped with its last connection, so idle torrents cost only
/// their <see cref="SeedTorrent"/>.
/// </summary>
internal sealed class ActiveTorrent
{
    private readonly object _lock = new();
    private Task<ReadOnlyMemory<byte>>? _infoBytes;
    private Task<ReadOnlyMemory<byte>>? _pieceLayer;

    public ActiveTorrent(SeedTorrent torrent) => Torrent = torrent;

    public SeedTorrent Torrent { get; }

    /// <summary>Live connections; guarded by the engine's lock on the active-torrent table.</summary>
    public int Connections { get; set; }

    public Task<ReadOnlyMemory<byte>> GetInfoBytesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_infoBytes is null || _infoBytes.IsFaulted || _infoBytes.IsCanceled)
            {
                _infoBytes = LoadInfoBytesAsync(cancellationToken);
            }
            return _infoBytes;
        }
    }

    public Task<ReadOnlyMemory<byte>> GetPieceLayerAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_pieceLayer is null || _pieceLayer.IsFaulted || _pieceLayer.IsCanceled)
            {
                _pieceLayer = LoadPieceLayerAsync(cancellationToken);
            }
            return _pieceLayer;
        }
    }

    private async Task<ReadOnlyMemory<byte>> LoadInfoBytesAsync(CancellationToken cancellationToken)
    {
        var bytes = await Torrent.Metadata.GetInfoBytesAsync(Torrent, cancellationToken).ConfigureAwait(false);
        if (bytes.Length != Torrent.MetadataSize)
        {
            throw new InvalidDataException(
                $"Torrent {Torrent}: the info dict has {bytes.Length} bytes, registered as {Torrent.MetadataSize}.");
        }
        return bytes;
    }

    private async Task<ReadOnlyMemory<byte>> LoadPieceLayerAsync(CancellationToken cancellationToken)
    {
        var layer = await Torrent.Metadata.GetPieceLayerAsync(Torrent, cancellationToken).ConfigureAwait(false);
        var expected = Torrent.Length > Torrent.PieceLength ? 32L * Torrent.PieceCount : 0;
        if (layer.Length != expected)
        {
            throw new InvalidDataException(
                $"Torrent {Torrent}: the piece layer has {layer.Length} bytes, expected {expected}.");
        }
        return layer;
    }
}
