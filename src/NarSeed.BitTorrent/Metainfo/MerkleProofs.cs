using System.Buffers;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// Answers and checks BEP 52 <c>hashes</c> replies. A reply is the <c>Length</c> base hashes (positions beyond the end
/// of the file carry the layer's pad hash) followed by the uncle hashes, lowest first: the siblings of the ancestors
/// of the base range's sub-tree root at levels base + log2(Length) … base + ProofLayers, i.e.
/// max(0, ProofLayers − log2(Length) + 1) of them — the count libtorrent's hash_picker::add_hashes checks, including
/// the tail-bucket case Length = 1, where the first uncle is the base hash's own sibling.
/// <para>
/// The seeder needs no full tree: piece-layer requests are answered from the stored piece layer alone, block-layer
/// requests from the block hashes of just the requested piece(s) (see <see cref="BlockRangeFor"/>) plus the piece layer.
/// </para>
/// </summary>
public static class MerkleProofs
{
    /// <summary>libtorrent's validate_hash_request refuses more than 8192 hashes (128 MiB pieces at the block layer).</summary>
    public const int MaxRequestLength = 8192;

    /// <summary>Checks a request against a file's tree the way libtorrent's validate_hash_request does, plus BEP 52
    /// alignment and the two layers we serve.</summary>
    public static MerkleRequestError Validate(in MerkleGeometry geometry, in MerkleProofRequest request)
    {
        if (request.BaseLayer < 0 || request.Index < 0 || request.Length <= 0 || request.ProofLayers < 0)
            return MerkleRequestError.InvalidField;
        if (request.Length > MaxRequestLength)
            return MerkleRequestError.LengthTooLarge;
        var layers = geometry.TreeHeight;
        if (request.BaseLayer >= layers)
            return MerkleRequestError.BaseLayerTooHigh;
        var levelSize = geometry.LeafCount >> request.BaseLayer;
        if (request.Index >= levelSize || (long)request.Index + request.Length > levelSize)
            return MerkleRequestError.RangeOutOfLayer;
        if (request.ProofLayers >= layers - request.BaseLayer)
            return MerkleRequestError.ProofLayersTooHigh;
        if (request.BaseLayer != 0 && request.BaseLayer != geometry.PieceLayer)
            return MerkleRequestError.UnsupportedBaseLayer;
        if (!MerkleTree.IsPowerOfTwo(request.Length) || request.Index % request.Length != 0)
            return MerkleRequestError.NotAligned;
        return MerkleRequestError.None;
    }

    /// <summary>How many uncle hashes follow the base hashes.</summary>
    public static int UncleCount(in MerkleProofRequest request) =>
        Math.Max(0, request.ProofLayers - MerkleTree.Log2(MerkleTree.NextPowerOfTwo(request.Length)) + 1);

    /// <summary>Total hashes in the reply: base hashes plus uncles.</summary>
    public static int HashCount(in MerkleProofRequest request) => request.Length + UncleCount(request);

    /// <summary>
    /// The pieces whose block hashes a block-layer (base 0) request needs: the pieces covering its range, clipped to
    /// the file. The caller hashes exactly these pieces (<see cref="MerkleTree.HashBlocks"/>) and passes the result
    /// to <see cref="WriteBlockLayerProof"/>.
    /// </summary>
    public static (int FirstPiece, int PieceCount) BlockRangeFor(in MerkleGeometry geometry, in MerkleProofRequest request)
    {
        var first = request.Index / geometry.BlocksPerPiece;
        var endBlock = Math.Min((long)request.Index + request.Length, geometry.BlockCount);
        var last = (int)((endBlock - 1) / geometry.BlocksPerPiece);
        return (first, Math.Max(0, last - first + 1));
    }

    /// <summary>Writes the reply to a validated piece-layer request from the stored piece layer only.</summary>
    public static int WritePieceLayerProof(
        in MerkleGeometry geometry, in MerkleProofRequest request, ReadOnlySpan<byte> pieceLayer, Span<byte> destination)
    {
        if (request.BaseLayer != geometry.PieceLayer)
            throw new ArgumentException("Not a piece-layer request.", nameof(request));
        var source = new NodeSource(geometry, pieceLayer, default, 0);
        return Write(geometry, request, source, destination);
    }

    /// <summary>
    /// Writes the reply to a validated block-layer request. <paramref name="blockHashes"/> holds the leaf hashes of
    /// the pieces <see cref="BlockRangeFor"/> names (only real blocks; a short last piece has fewer).
    /// </summary>
    public static int WriteBlockLayerProof(
        in MerkleGeometry geometry, in MerkleProofRequest request, ReadOnlySpan<byte> pieceLayer,
        ReadOnlySpan<byte> blockHashes, Span<byte> destination)
    {
        if (request.BaseLayer != 0)
            throw new ArgumentException("Not a block-layer request.", nameof(request));
        var (firstPiece, _) = BlockRangeFor(geometry, request);
        var source = new NodeSource(geometry, pieceLayer, blockHashes, (long)firstPiece * geometry.BlocksPerPiece);
        return Write(geometry, request, source, destination);
    }

    /// <summary>
    /// Folds a reply the way a receiver does: the base hashes to their sub-tree root, then each uncle in turn.
    /// Returns the node reached (its level and index) and writes its hash.
    /// </summary>
    public static (int Level, long Index) Reduce(
        in MerkleGeometry geometry, in MerkleProofRequest request, ReadOnlySpan<byte> hashes, Span<byte> node)
    {
        if (hashes.Length != HashCount(request) * MerkleTree.HashSize)
            throw new ArgumentException($"Expected {HashCount(request)} hashes.", nameof(hashes));
        var width = MerkleTree.NextPowerOfTwo(request.Length);
        var baseHashes = hashes[..(request.Length * MerkleTree.HashSize)];
        MerkleTree.ComputeRoot(baseHashes, width, MerkleTree.PadHash(request.BaseLayer), node);
        var level = request.BaseLayer + MerkleTree.Log2(width);
        var index = request.Index / width;
        var uncles = hashes[baseHashes.Length..];
        for (var u = 0; u < uncles.Length; u += MerkleTree.HashSize, level++, index /= 2)
        {
            var uncle = uncles.Slice(u, MerkleTree.HashSize);
            if (index % 2 == 0) MerkleTree.HashPair(node, uncle, node);
            else MerkleTree.HashPair(uncle, node, node);
        }
        return (level, index);
    }

    /// <summary>True when the reply folds up to exactly <paramref name="piecesRoot"/>.</summary>
    public static bool VerifiesAgainstRoot(
        in MerkleGeometry geometry, in MerkleProofRequest request, ReadOnlySpan<byte> hashes, ReadOnlySpan<byte> piecesRoot)
    {
        Span<byte> node = stackalloc byte[MerkleTree.HashSize];
        var (level, _) = Reduce(geometry, request, hashes, node);
        return level == geometry.TreeHeight && node.SequenceEqual(piecesRoot);
    }

    private static int Write(in MerkleGeometry geometry, in MerkleProofRequest request, in NodeSource source, Span<byte> destination)
    {
        var error = Validate(geometry, request);
        if (error != MerkleRequestError.None)
            throw new ArgumentException($"Invalid hash request: {error}.", nameof(request));
        var total = HashCount(request) * MerkleTree.HashSize;
        if (destination.Length < total)
            throw new ArgumentException($"The destination needs {total} bytes.", nameof(destination));
        var offset = 0;
        for (var i = 0; i < request.Length; i++, offset += MerkleTree.HashSize)
        {
            source.Node(request.BaseLayer, (long)request.Index + i, destination.Slice(offset, MerkleTree.HashSize));
        }
        var widthLog = MerkleTree.Log2(MerkleTree.NextPowerOfTwo(request.Length));
        var level = request.BaseLayer + widthLog;
        var index = (long)request.Index >> widthLog;
        for (; level <= request.BaseLayer + request.ProofLayers; level++, index /= 2, offset += MerkleTree.HashSize)
        {
            source.Node(level, index ^ 1, destination.Slice(offset, MerkleTree.HashSize));
        }
        return offset;
    }

    /// <summary>Computes any node of the tree from the piece layer and, below it, from a range of block hashes.</summary>
    private readonly ref struct NodeSource(
        in MerkleGeometry geometry, ReadOnlySpan<byte> pieceLayer, ReadOnlySpan<byte> blocks, long firstBlock)
    {
        private readonly MerkleGeometry _geometry = geometry;
        private readonly ReadOnlySpan<byte> _pieceLayer = pieceLayer;
        private readonly ReadOnlySpan<byte> _blocks = blocks;
        private readonly long _firstBlock = firstBlock;

        public void Node(int level, long index, Span<byte> destination)
        {
            var startBlock = index << level;
            if (startBlock >= _geometry.BlockCount)
            {
                MerkleTree.PadHash(level).CopyTo(destination);
                return;
            }
            var hs = MerkleTree.HashSize;
            if (_geometry.HasPieceLayer && level >= _geometry.PieceLayer)
            {
                if (_pieceLayer.Length != _geometry.PieceCount * hs)
                    throw new ArgumentException($"A piece layer of {_geometry.PieceCount} hashes is required.");
                var span = 1L << (level - _geometry.PieceLayer);
                var first = index * span;
                var count = (int)Math.Min(span, _geometry.PieceCount - first);
                MerkleTree.ComputeRoot(_pieceLayer.Slice((int)first * hs, count * hs), span,
                    MerkleTree.PadHash(_geometry.PieceLayer), destination);
                return;
            }
            var width = 1L << level;
            var real = (int)Math.Min(width, _geometry.BlockCount - startBlock);
            var offset = startBlock - _firstBlock;
            if (offset < 0 || (offset + real) * hs > _blocks.Length)
                throw new ArgumentException($"Block hashes {startBlock}…{startBlock + real - 1} were not supplied.");
            MerkleTree.ComputeRoot(_blocks.Slice((int)offset * hs, real * hs), width, MerkleTree.PadHash(0), destination);
        }
    }
}
