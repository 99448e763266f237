namespace NarSeed.Catalog;

/// <summary>
/// The torrent of one nar (BEP 52): the v2 info-hash (SHA-256 of the info dictionary), the v1 info-hash when the
/// torrent is hybrid, the piece length, the file's pieces root and its piece layer (concatenated piece hashes).
/// </summary>
public sealed record TorrentRecord(
    long NarId,
    ReadOnlyMemory<byte> InfoHashV2,
    ReadOnlyMemory<byte>? InfoHashV1,
    int PieceLength,
    ReadOnlyMemory<byte> PiecesRoot,
    ReadOnlyMemory<byte> PieceLayer);
