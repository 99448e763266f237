using System.Security.Cryptography;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// Hashes a file into its torrent while its bytes go by, in order and once: the same v2 piece layer (SHA-256 leaves
/// per 16 KiB block, a short last block at its real length, reduced per piece) and, for hybrids, the same SHA-1 piece
/// hashes that <see cref="TorrentBuilder.CreateAsync"/> computes by reading the file — so a downloader has the torrent
/// when the last byte is written. The length must be known up front, because it fixes the piece length. Memory: the
/// piece layer and one piece's leaves. Not thread-safe: one writer appends.
/// </summary>
public sealed class TorrentHasher : IDisposable
{
    private const int V1HashSize = 20;

    private readonly MerkleGeometry _geometry;
    private readonly IncrementalHash _block = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? _sha1;
    private readonly byte[] _pieceLayer;
    private readonly byte[]? _v1Pieces;
    private readonly byte[] _leaves;
    private int _inBlock;
    private int _blocksInPiece;
    private int _inPiece;
    private int _piece;

    /// <param name="length">The file's length in bytes (1 byte to 16 TiB).</param>
    /// <param name="pieceLength">A power of two from 16 KiB to 128 MiB; null picks libtorrent's default for the length.</param>
    /// <param name="hybrid">Also compute the v1 SHA-1 piece hashes.</param>
    public TorrentHasher(long length, int? pieceLength = null, bool hybrid = false)
    {
        if (length <= 0 || length > TorrentReader.MaxFileLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A torrent needs 1 byte to 16 TiB.");
        var piece = pieceLength ?? PieceLengthTable.For(length);
        if (!MerkleTree.IsPowerOfTwo(piece) || piece < MerkleGeometry.MinPieceLength || piece > TorrentBuilder.MaxPieceLength)
            throw new ArgumentOutOfRangeException(nameof(pieceLength), piece,
                "The piece length must be a power of two from 16 KiB to 128 MiB.");
        _geometry = new MerkleGeometry(length, piece);
        _pieceLayer = new byte[_geometry.PieceCount * MerkleTree.HashSize];
        _leaves = new byte[(int)Math.Min(_geometry.BlocksPerPiece, _geometry.BlockCount) * MerkleTree.HashSize];
        if (hybrid)
        {
            _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            _v1Pieces = new byte[_geometry.PieceCount * V1HashSize];
        }
    }

    public long Length => _geometry.FileLength;

    public int PieceLength => _geometry.PieceLength;

    public bool Hybrid => _sha1 is not null;

    /// <summary>Bytes appended so far.</summary>
    public long BytesHashed { get; private set; }

    public bool IsComplete => BytesHashed == Length;

    /// <summary>Hashes the next bytes of the file. More bytes than <see cref="Length"/> in all is an error.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > Length - BytesHashed)
            throw new InvalidOperationException(
                $"{BytesHashed + data.Length} bytes appended to a torrent hasher of a {Length}-byte file.");
        while (!data.IsEmpty)
        {
            // Pieces are whole blocks, so a block never straddles a piece boundary.
            var take = Math.Min(data.Length, MerkleTree.BlockSize - _inBlock);
            var part = data[..take];
            _block.AppendData(part);
            _sha1?.AppendData(part);
            _inBlock += take;
            _inPiece += take;
            BytesHashed += take;
            data = data[take..];
            var atEnd = BytesHashed == Length;
            if (_inBlock == MerkleTree.BlockSize || atEnd)
            {
                _block.GetHashAndReset(_leaves.AsSpan(_blocksInPiece * MerkleTree.HashSize, MerkleTree.HashSize));
                _blocksInPiece++;
                _inBlock = 0;
            }
            if (_inPiece == _geometry.PieceLength || atEnd)
            {
                FinishPiece();
            }
        }
    }

    /// <summary>The v2 piece hashes (for a file of one piece or less, the single entry is the pieces root) and, for a
    /// hybrid, the SHA-1 piece hashes; the same inputs <see cref="TorrentBuilder.FromHashes"/> takes.</summary>
    public (byte[] PieceLayer, byte[]? V1Pieces) GetHashes()
    {
        if (!IsComplete)
            throw new InvalidOperationException($"Only {BytesHashed} of {Length} bytes were hashed.");
        return (_pieceLayer, _v1Pieces);
    }

    /// <summary>The torrent, byte-identical to <see cref="TorrentBuilder.CreateAsync"/>'s for the same file and options.</summary>
    public TorrentInfo CreateTorrent(string name, IReadOnlyList<string> webSeeds, IReadOnlyList<string> trackers)
    {
        var (pieceLayer, v1Pieces) = GetHashes();
        return TorrentBuilder.FromHashes(name, Length, PieceLength, pieceLayer, v1Pieces, webSeeds, trackers);
    }

    private void FinishPiece()
    {
        MerkleTree.ComputePieceHash(_geometry, _leaves.AsSpan(0, _blocksInPiece * MerkleTree.HashSize),
            _pieceLayer.AsSpan(_piece * MerkleTree.HashSize, MerkleTree.HashSize));
        _sha1?.GetHashAndReset(_v1Pieces.AsSpan(_piece * V1HashSize, V1HashSize));
        _piece++;
        _inPiece = 0;
        _blocksInPiece = 0;
    }

    public void Dispose()
    {
        _block.Dispose();
        _sha1?.Dispose();
    }
}
