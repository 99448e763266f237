using NarSeed.BitTorrent.Metainfo;
using NarSeed.Catalog;

namespace NarSeed.Seeding;

/// <summary>
/// Builds a nar's torrent deterministically (TorrentBuilder: byte-identical to libtorrent's create_torrent) and turns
/// the catalog's compact record (piece length, pieces root, piece layer) back into the info dictionary and the
/// <c>.torrent</c> file. Its name and web seed come from the origin's nar URL (<see cref="NarWebSeed"/>).
/// </summary>
public static class NarTorrents
{
    /// <summary>Hashes a stored nar file and returns the torrent and its catalog record.</summary>
    public static async Task<(TorrentInfo Info, TorrentRecord Record)> BuildAsync(
        long narId, string filePath, string localName, string originUrl, bool hybrid, IReadOnlyList<string> trackers,
        CancellationToken cancellationToken)
    {
        var (name, webSeed) = NarWebSeed.For(originUrl, localName);
        var info = await TorrentBuilder.CreateAsync(filePath,
            new TorrentCreateOptions { Hybrid = hybrid, Name = name, WebSeeds = [webSeed], Trackers = trackers },
            cancellationToken);
        return (info, ToRecord(narId, info));
    }

    /// <summary>The same torrent and record as <see cref="BuildAsync"/> from hashes computed while the file was
    /// written (<see cref="TorrentHasher"/>), without reading the file again.</summary>
    public static (TorrentInfo Info, TorrentRecord Record) FromHashes(
        long narId, string localName, string originUrl, long length, int pieceLength, ReadOnlySpan<byte> pieceLayer,
        ReadOnlySpan<byte> v1Pieces, IReadOnlyList<string> trackers)
    {
        var (name, webSeed) = NarWebSeed.For(originUrl, localName);
        var info = TorrentBuilder.FromHashes(name, length, pieceLength, pieceLayer, v1Pieces, [webSeed], trackers);
        return (info, ToRecord(narId, info));
    }

    public static TorrentRecord ToRecord(long narId, TorrentInfo info) =>
        new(narId, info.InfoHashV2.ToArray(),
            // Not `InfoHashV1?.ToArray()`: a null byte[] converts to an empty, non-null ReadOnlyMemory<byte>?.
            info.InfoHashV1 is { } v1 ? v1.ToArray() : (ReadOnlyMemory<byte>?)null,
            info.PieceLength, info.PiecesRoot.ToArray(), info.PieceLayer.ToArray());

    /// <summary>
    /// The torrent again from the catalog's record. A v2-only torrent is rebuilt from the piece layer alone; a hybrid
    /// one needs its v1 piece hashes, which the catalog does not keep, so the file is hashed again.
    /// </summary>
    public static async Task<TorrentInfo> RestoreAsync(
        NarFileRecord nar, TorrentRecord record, string filePath, IReadOnlyList<string> trackers,
        CancellationToken cancellationToken)
    {
        TorrentInfo info;
        if (record.InfoHashV1 is null)
        {
            // A file of one piece has no piece layer: its pieces root is its one piece hash.
            var pieceHashes = record.PieceLayer.IsEmpty ? record.PiecesRoot : record.PieceLayer;
            var (name, webSeed) = NarWebSeed.For(nar.OriginUrl, nar.LocalPath);
            info = TorrentBuilder.FromHashes(name, nar.FileSize, record.PieceLength, pieceHashes.Span,
                [], [webSeed], trackers);
        }
        else
        {
            (info, _) = await BuildAsync(record.NarId, filePath, nar.LocalPath, nar.OriginUrl, true, trackers,
                cancellationToken);
        }
        if (!info.InfoHashV2.Span.SequenceEqual(record.InfoHashV2.Span))
        {
            throw new InvalidDataException(
                $"The torrent rebuilt for {nar.LocalPath} does not have the catalogued info-hash.");
        }
        return info;
    }
}
