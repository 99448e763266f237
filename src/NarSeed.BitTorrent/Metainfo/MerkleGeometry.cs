namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// The shape of one file's BEP 52 Merkle tree: leaves (16 KiB blocks), the piece layer and the height. Levels are
/// counted from the leaves (level 0) up to the root (level <see cref="TreeHeight"/>).
/// </summary>
public readonly record struct MerkleGeometry
{
    /// <summary>BEP 52: the smallest piece length is one 16 KiB block.</summary>
    public const int MinPieceLength = MerkleTree.BlockSize;

    public MerkleGeometry(long fileLength, long pieceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fileLength);
        if (!MerkleTree.IsPowerOfTwo(pieceLength) || pieceLength < MinPieceLength || pieceLength > int.MaxValue / 2 + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength,
                "The piece length must be a power of two of at least 16 KiB.");
        }
        FileLength = fileLength;
        PieceLength = (int)pieceLength;
        BlockCount = MerkleTree.BlockCount(fileLength);
        BlocksPerPiece = (int)(pieceLength / MerkleTree.BlockSize);
        PieceLayer = MerkleTree.Log2(BlocksPerPiece);
        PieceCount = (int)((fileLength + pieceLength - 1) / pieceLength);
        LeafCount = MerkleTree.NextPowerOfTwo(BlockCount);
        TreeHeight = MerkleTree.Log2(LeafCount);
    }

    public long FileLength { get; }

    public int PieceLength { get; }

    public long BlockCount { get; }

    public int BlocksPerPiece { get; }

    /// <summary>The level of the piece layer: log2(piece length / 16 KiB).</summary>
    public int PieceLayer { get; }

    public int PieceCount { get; }

    /// <summary>Leaves after padding: the next power of two of <see cref="BlockCount"/>.</summary>
    public long LeafCount { get; }

    /// <summary>Levels above the leaves; the root is at this level.</summary>
    public int TreeHeight { get; }

    /// <summary>True when the file is longer than one piece, so <c>piece layers</c> has an entry for it.</summary>
    public bool HasPieceLayer => FileLength > PieceLength;
}
