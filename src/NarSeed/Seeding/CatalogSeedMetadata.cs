using NarSeed.BitTorrent.Engine;
using NarSeed.Catalog;

namespace NarSeed.Seeding;

/// <summary>
/// The engine's metadata for one catalogued nar, made only when a peer asks (ut_metadata or BEP 52 hash requests):
/// the info dictionary is rebuilt from the piece layer the catalog keeps, so 100,000 registered torrents hold no info
/// bytes in memory until used. The result is kept once made (a torrent peers ask for is likely asked for again).
/// </summary>
public sealed class CatalogSeedMetadata(NarFileRecord nar, TorrentRecord record, string filePath,
    IReadOnlyList<string> trackers) : ISeedMetadataSource
{
    private ReadOnlyMemory<byte>? _info;

    public async ValueTask<ReadOnlyMemory<byte>> GetInfoBytesAsync(SeedTorrent torrent, CancellationToken cancellationToken)
    {
        if (_info is { } info)
        {
            return info;
        }
        var restored = await NarTorrents.RestoreAsync(nar, record, filePath, trackers, cancellationToken);
        _info = restored.RawInfo;
        return restored.RawInfo;
    }

    public ValueTask<ReadOnlyMemory<byte>> GetPieceLayerAsync(SeedTorrent torrent, CancellationToken cancellationToken) =>
        ValueTask.FromResult(record.PieceLayer);
}
