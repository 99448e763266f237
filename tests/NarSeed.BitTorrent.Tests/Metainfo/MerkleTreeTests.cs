using System.Security.Cryptography;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Metainfo;

public class MerkleTreeTests
{
    // bittorrent.md §9.2 (self-computed, consistent with libtorrent's test torrents in §9.1).
    [Theory]
    [InlineData(16384, "4fe7b59af6de3b665b67788cc2f99892ab827efae3a467342b3bb4e3bc8e5bfe")]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(16385, "477e14ff3453ec4ec3855f8753cb07288aade5618a473ccc2ab1208886e460ec")]
    [InlineData(65536, "60aae9c7b428f87e0713e88229e18f0adf12cd7b22a0dd8a92bb2485eb7af242")]
    [InlineData(100000, "e92dc22e05df5bb6a89aecc0c58f10d0d270d676a648b1ea47258121fd79a9d3")]
    [InlineData(1048576, "515ea9181744b817744ded9d2e8e9dc6a8450c0b0c52e24b5077f302ffbd9008")]
    public void Pieces_root_of_zero_files_matches_reference_vectors(int length, string expectedRoot)
    {
        foreach (var pieceLength in new[] { 16384, 65536, 4 * 1024 * 1024 })
        {
            var geometry = new MerkleGeometry(length, pieceLength);
            var data = new byte[length];
            var pieceLayer = new byte[geometry.PieceCount * 32];
            var leaves = new byte[geometry.BlocksPerPiece * 32];
            for (var p = 0; p < geometry.PieceCount; p++)
            {
                var piece = data.AsSpan(p * pieceLength, Math.Min(pieceLength, length - p * pieceLength));
                var n = MerkleTree.HashBlocks(piece, leaves);
                MerkleTree.ComputePieceHash(geometry, leaves.AsSpan(0, n * 32), pieceLayer.AsSpan(p * 32, 32));
            }
            var root = new byte[32];
            MerkleTree.ComputeRootFromPieceLayer(geometry, pieceLayer, root);
            Convert.ToHexStringLower(root).Should().Be(expectedRoot, $"piece length {pieceLength}");
        }
    }

    [Theory]
    [InlineData(0, "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(1, "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b")]
    [InlineData(2, "db56114e00fdd4c1f85c892bf35ac9a89289aaecb1ebd0a96cde606a748b5d71")]
    [InlineData(3, "c78009fdf07fc56a11f122370658a353aaa542ed63e44c4bc15ff4cd105ab33c")]
    public void Pad_hashes_match_reference_vectors(int level, string expected) =>
        Convert.ToHexStringLower(MerkleTree.PadHash(level)).Should().Be(expected);

    [Fact]
    public void Root_from_piece_layer_equals_naive_full_tree_root()
    {
        foreach (var (blocks, pieceLength) in new[] { (1L, 16384), (5L, 16384), (5L, 65536), (17L, 65536), (1000L, 262144), (4097L, 32768) })
        {
            var reference = ReferenceMerkleTree.Random(blocks, (int)blocks, out var leaves);
            var geometry = new MerkleGeometry(blocks * 16384 - 100, pieceLength);
            var layer = new byte[geometry.PieceCount * 32];
            for (var p = 0; p < geometry.PieceCount; p++)
            {
                var piece = leaves.Skip(p * geometry.BlocksPerPiece).Take(geometry.BlocksPerPiece).SelectMany(l => l).ToArray();
                MerkleTree.ComputePieceHash(geometry, piece, layer.AsSpan(p * 32, 32));
            }
            if (geometry.HasPieceLayer) layer.Should().Equal(reference.PieceLayer(geometry));
            var root = new byte[32];
            MerkleTree.ComputeRootFromPieceLayer(geometry, layer, root);
            root.Should().Equal(reference.Root, $"{blocks} blocks, P={pieceLength}");
        }
    }

    [Fact]
    public void Short_last_block_is_hashed_at_its_real_length()
    {
        var data = new byte[16384 + 10];
        new Random(1).NextBytes(data);
        var leaves = new byte[64];
        MerkleTree.HashBlocks(data, leaves).Should().Be(2);
        leaves.AsSpan(32).ToArray().Should().Equal(SHA256.HashData(data.AsSpan(16384)));
    }
}
