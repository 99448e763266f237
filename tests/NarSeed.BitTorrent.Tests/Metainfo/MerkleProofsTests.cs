using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Metainfo;

/// <summary>
/// Proofs for BEP 52 <c>hashes</c> replies (bittorrent.md §5.6), checked by folding them the way libtorrent's
/// receiver does and comparing with a naive full tree.
/// </summary>
public class MerkleProofsTests
{
    [Fact]
    public void Worked_example_2000_pieces_of_1_MiB_gives_512_hashes_and_2_uncles()
    {
        var geometry = new MerkleGeometry(2000L * 1024 * 1024, 1024 * 1024);
        geometry.TreeHeight.Should().Be(17);
        geometry.PieceLayer.Should().Be(6);
        var reference = ReferenceMerkleTree.Random(geometry.BlockCount, 2000, out _);
        var pieceLayer = reference.PieceLayer(geometry);

        foreach (var bucket in new[] { 0, 1, 2, 3 })
        {
            var request = new MerkleProofRequest(6, 512 * bucket, 512, 10);
            MerkleProofs.Validate(geometry, request).Should().Be(MerkleRequestError.None);
            MerkleProofs.UncleCount(request).Should().Be(2);
            var reply = new byte[MerkleProofs.HashCount(request) * 32];
            MerkleProofs.WritePieceLayerProof(geometry, request, pieceLayer, reply).Should().Be(514 * 32);
            MerkleProofs.VerifiesAgainstRoot(geometry, request, reply, reference.Root).Should().BeTrue();
            if (bucket == 3)
            {
                // Pieces 2000…2047 lie beyond the end: they carry pad(6).
                reply.AsSpan((2000 - 1536) * 32, 32).ToArray().Should().Equal(MerkleTree.PadHash(6).ToArray());
            }
            reply[100] ^= 1;
            MerkleProofs.VerifiesAgainstRoot(geometry, request, reply, reference.Root).Should().BeFalse();
        }
    }

    [Fact]
    public void Tail_bucket_of_length_1_carries_its_own_sibling_first()
    {
        // 513 pieces of 32 KiB: bucket 1 is piece 512 alone (libtorrent: length = min(512, nextpow2(1)) = 1).
        var geometry = new MerkleGeometry(513L * 32768 - 5, 32768);
        var reference = ReferenceMerkleTree.Random(geometry.BlockCount, 513, out _);
        var pieceLayer = reference.PieceLayer(geometry);
        var maxProof = geometry.TreeHeight - geometry.PieceLayer - 1;
        for (var proofLayers = 0; proofLayers <= maxProof; proofLayers++)
        {
            var request = new MerkleProofRequest(geometry.PieceLayer, 512, 1, proofLayers);
            MerkleProofs.UncleCount(request).Should().Be(proofLayers + 1);
            var reply = Reply(geometry, request, pieceLayer);
            reply.AsSpan(32, 32).ToArray().Should().Equal(reference.Node(geometry.PieceLayer, 513),
                "the first uncle of a single hash is its sibling (a pad here)");
            AssertFoldsToReferenceNode(geometry, request, reply, reference);
        }
        var full = new MerkleProofRequest(geometry.PieceLayer, 512, 1, maxProof);
        MerkleProofs.VerifiesAgainstRoot(geometry, full, Reply(geometry, full, pieceLayer), reference.Root).Should().BeTrue();
    }

    [Fact]
    public void Small_files_need_no_uncles_when_proof_layers_is_log2_length_minus_1()
    {
        // ≤ 512 pieces: libtorrent asks (piece layer, 0, nextpow2(pieces), log2(length) − 1) and expects no uncles.
        var geometry = new MerkleGeometry(300L * 65536, 65536);
        var reference = ReferenceMerkleTree.Random(geometry.BlockCount, 300, out _);
        var request = new MerkleProofRequest(geometry.PieceLayer, 0, 512, 8);
        MerkleProofs.UncleCount(request).Should().Be(0);
        var reply = Reply(geometry, request, reference.PieceLayer(geometry));
        MerkleProofs.VerifiesAgainstRoot(geometry, request, reply, reference.Root).Should().BeTrue();
    }

    [Theory]
    [InlineData(100L * 65536, 65536, 37)]           // a middle piece
    [InlineData(100L * 65536 - 20000, 65536, 99)]  // the short last piece
    [InlineData(3L * 1048576 + 1, 1048576, 3)]     // a last piece of one byte
    [InlineData(40L * 16384, 16384, 7)]            // one block per piece
    public void Block_layer_proofs_need_only_the_requested_piece(long fileLength, int pieceLength, int piece)
    {
        var geometry = new MerkleGeometry(fileLength, pieceLength);
        var reference = ReferenceMerkleTree.Random(geometry.BlockCount, piece, out var leaves);
        var pieceLayer = reference.PieceLayer(geometry);
        var b = geometry.BlocksPerPiece;
        var maxProof = geometry.TreeHeight - 1;
        // libtorrent with the piece layer known: proof_layers = log2(B) (+ levels to a known node − 1).
        for (var proofLayers = MerkleTree.Log2(b); proofLayers <= maxProof; proofLayers++)
        {
            var request = new MerkleProofRequest(0, piece * b, b, proofLayers);
            if (MerkleProofs.Validate(geometry, request) != MerkleRequestError.None) continue;
            var (first, count) = MerkleProofs.BlockRangeFor(geometry, request);
            (first, count).Should().Be((piece, 1));
            var blockHashes = leaves.Skip(piece * b).Take(b).SelectMany(l => l).ToArray();
            var reply = new byte[MerkleProofs.HashCount(request) * 32];
            MerkleProofs.WriteBlockLayerProof(geometry, request, pieceLayer, blockHashes, reply);
            AssertFoldsToReferenceNode(geometry, request, reply, reference);
        }
        var full = new MerkleProofRequest(0, piece * b, b, maxProof);
        var (f2, c2) = MerkleProofs.BlockRangeFor(geometry, full);
        var fullReply = new byte[MerkleProofs.HashCount(full) * 32];
        MerkleProofs.WriteBlockLayerProof(geometry, full, pieceLayer,
            leaves.Skip(f2 * b).Take(c2 * b).SelectMany(l => l).ToArray(), fullReply);
        MerkleProofs.VerifiesAgainstRoot(geometry, full, fullReply, reference.Root).Should().BeTrue();
    }

    [Fact]
    public void Random_aligned_requests_fold_to_the_reference_tree()
    {
        var random = new Random(7);
        for (var round = 0; round < 60; round++)
        {
            var pieceLength = 16384 << random.Next(0, 5);
            var fileLength = random.NextInt64(1, 600L * 16384);
            var geometry = new MerkleGeometry(fileLength, pieceLength);
            if (geometry.TreeHeight == 0) continue;
            var reference = ReferenceMerkleTree.Random(geometry.BlockCount, round, out var leaves);
            var pieceLayer = geometry.HasPieceLayer ? reference.PieceLayer(geometry) : reference.Root;
            var baseLayer = geometry.HasPieceLayer && random.Next(2) == 0 ? geometry.PieceLayer : 0;
            var levelSize = geometry.LeafCount >> baseLayer;
            var length = 1 << random.Next(0, MerkleTree.Log2(levelSize) + 1);
            var index = (int)(random.NextInt64(levelSize / length) * length);
            var proofLayers = random.Next(0, geometry.TreeHeight - baseLayer);
            var request = new MerkleProofRequest(baseLayer, index, length, proofLayers);
            MerkleProofs.Validate(geometry, request).Should().Be(MerkleRequestError.None, request.ToString());
            var reply = new byte[MerkleProofs.HashCount(request) * 32];
            if (baseLayer == 0)
            {
                var (first, count) = MerkleProofs.BlockRangeFor(geometry, request);
                var blocks = leaves.Skip(first * geometry.BlocksPerPiece).Take(count * geometry.BlocksPerPiece)
                    .SelectMany(l => l).ToArray();
                MerkleProofs.WriteBlockLayerProof(geometry, request, pieceLayer, blocks, reply);
            }
            else
            {
                MerkleProofs.WritePieceLayerProof(geometry, request, pieceLayer, reply);
            }
            for (var i = 0; i < length; i++)
            {
                reply.AsSpan(i * 32, 32).ToArray().Should().Equal(reference.Node(baseLayer, index + i));
            }
            AssertFoldsToReferenceNode(geometry, request, reply, reference);
        }
    }

    [Theory]
    [InlineData(-1, 0, 2, 0, MerkleRequestError.InvalidField)]
    [InlineData(0, -1, 2, 0, MerkleRequestError.InvalidField)]
    [InlineData(0, 0, 0, 0, MerkleRequestError.InvalidField)]
    [InlineData(0, 0, 2, -1, MerkleRequestError.InvalidField)]
    [InlineData(0, 0, 8193, 0, MerkleRequestError.LengthTooLarge)]
    [InlineData(15, 0, 1, 0, MerkleRequestError.BaseLayerTooHigh)]
    [InlineData(2, 1024, 2, 0, MerkleRequestError.RangeOutOfLayer)]
    [InlineData(2, 1022, 4, 0, MerkleRequestError.RangeOutOfLayer)]
    [InlineData(2, 0, 512, 10, MerkleRequestError.ProofLayersTooHigh)]
    [InlineData(1, 0, 2, 0, MerkleRequestError.UnsupportedBaseLayer)]
    [InlineData(2, 0, 3, 0, MerkleRequestError.NotAligned)]
    [InlineData(2, 2, 4, 0, MerkleRequestError.NotAligned)]
    [InlineData(2, 512, 512, 9, MerkleRequestError.None)]
    [InlineData(0, 4, 4, 11, MerkleRequestError.None)]
    public void Validation_rejects_what_libtorrent_rejects(int baseLayer, int index, int length, int proof, MerkleRequestError expected)
    {
        // 1000 pieces of 64 KiB: 4000 blocks, 4096 leaves, height 12, piece layer 2 (1024 nodes).
        var geometry = new MerkleGeometry(1000L * 65536, 65536);
        MerkleProofs.Validate(geometry, new MerkleProofRequest(baseLayer, index, length, proof)).Should().Be(expected);
    }

    private static byte[] Reply(MerkleGeometry geometry, MerkleProofRequest request, byte[] pieceLayer)
    {
        var reply = new byte[MerkleProofs.HashCount(request) * 32];
        MerkleProofs.WritePieceLayerProof(geometry, request, pieceLayer, reply);
        return reply;
    }

    private static void AssertFoldsToReferenceNode(
        MerkleGeometry geometry, MerkleProofRequest request, byte[] reply, ReferenceMerkleTree reference)
    {
        var node = new byte[32];
        var (level, index) = MerkleProofs.Reduce(geometry, request, reply, node);
        var expectedLevel = Math.Max(request.BaseLayer + MerkleTree.Log2(request.Length), request.BaseLayer + request.ProofLayers + 1);
        level.Should().Be(expectedLevel, request.ToString());
        node.Should().Equal(reference.Node(level, index), request.ToString());
    }
}
