using System.Security.Cryptography;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Metainfo;

/// <summary>
/// A naive, complete BEP 52 tree (every level materialised, zero leaves as padding) written independently of
/// <see cref="MerkleTree"/>, to check the production code's shortcuts against.
/// </summary>
internal sealed class ReferenceMerkleTree
{
    private readonly List<byte[][]> _levels = [];

    public ReferenceMerkleTree(IReadOnlyList<byte[]> leaves)
    {
        var width = 1;
        while (width < leaves.Count) width *= 2;
        var level = new byte[width][];
        for (var i = 0; i < width; i++) level[i] = i < leaves.Count ? leaves[i] : new byte[32];
        _levels.Add(level);
        while (level.Length > 1)
        {
            var next = new byte[level.Length / 2][];
            for (var i = 0; i < next.Length; i++) next[i] = SHA256.HashData([.. level[2 * i], .. level[2 * i + 1]]);
            _levels.Add(next);
            level = next;
        }
    }

    public static ReferenceMerkleTree Random(long blocks, int seed, out List<byte[]> leaves)
    {
        var random = new Random(seed);
        leaves = [];
        for (var i = 0; i < blocks; i++)
        {
            var leaf = new byte[32];
            random.NextBytes(leaf);
            leaves.Add(leaf);
        }
        return new ReferenceMerkleTree(leaves);
    }

    public byte[] Root => _levels[^1][0];

    public byte[] Node(int level, long index) => _levels[level][index];

    /// <summary>The stored piece layer: the first PieceCount nodes of the piece level.</summary>
    public byte[] PieceLayer(MerkleGeometry geometry) =>
        [.. Enumerable.Range(0, geometry.PieceCount).SelectMany(i => _levels[geometry.PieceLayer][i])];
}
