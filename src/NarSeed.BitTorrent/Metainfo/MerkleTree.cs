using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// BEP 52 Merkle primitives: SHA-256 leaves over 16 KiB blocks (a short last block hashed at its real length),
/// zero-hash padding of the leaf layer, pad hashes pad(h) for whole sub-trees beyond the end of the file, and
/// reductions of a layer to its root.
/// </summary>
public static class MerkleTree
{
    /// <summary>BEP 52: the leaf block size, 16 KiB.</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>SHA-256 digest size.</summary>
    public const int HashSize = 32;

    /// <summary>Heights up to 62 cover any file a <c>long</c> can describe.</summary>
    private const int MaxPadLevel = 62;

    private static readonly byte[] Pads = BuildPads();

    /// <summary>
    /// pad(level): the root of a sub-tree of height <paramref name="level"/> lying wholly beyond the end of the file.
    /// pad(0) is 32 zero bytes; pad(h+1) = SHA-256(pad(h) ‖ pad(h)).
    /// </summary>
    public static ReadOnlySpan<byte> PadHash(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxPadLevel);
        return Pads.AsSpan(level * HashSize, HashSize);
    }

    /// <summary>Number of 16 KiB blocks (leaves) of a file; at least one for a non-empty file.</summary>
    public static long BlockCount(long fileLength) => (fileLength + BlockSize - 1) / BlockSize;

    /// <summary>The next power of two ≥ <paramref name="value"/> (1 for 0 or 1).</summary>
    public static long NextPowerOfTwo(long value) => value <= 1 ? 1 : (long)BitOperations.RoundUpToPowerOf2((ulong)value);

    public static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    /// <summary>log2 of a power of two.</summary>
    public static int Log2(long powerOfTwo) => BitOperations.Log2((ulong)powerOfTwo);

    /// <summary>Hashes <paramref name="data"/> as consecutive 16 KiB blocks into <paramref name="leaves"/>.</summary>
    public static int HashBlocks(ReadOnlySpan<byte> data, Span<byte> leaves)
    {
        var count = 0;
        for (var offset = 0; offset < data.Length; offset += BlockSize, count++)
        {
            SHA256.HashData(data.Slice(offset, Math.Min(BlockSize, data.Length - offset)),
                leaves.Slice(count * HashSize, HashSize));
        }
        return count;
    }

    /// <summary>SHA-256(left ‖ right) into <paramref name="destination"/> (which may alias either input).</summary>
    public static void HashPair(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> pair = stackalloc byte[2 * HashSize];
        left.CopyTo(pair);
        right.CopyTo(pair[HashSize..]);
        SHA256.HashData(pair, destination);
    }

    /// <summary>
    /// The root over <paramref name="hashes"/> (whole 32-byte hashes) padded with <paramref name="pad"/> up to
    /// <paramref name="width"/> leaves, a power of two ≥ the number of hashes.
    /// </summary>
    public static void ComputeRoot(ReadOnlySpan<byte> hashes, long width, ReadOnlySpan<byte> pad, Span<byte> destination)
    {
        var count = hashes.Length / HashSize;
        if (hashes.Length % HashSize != 0 || !IsPowerOfTwo(width) || count > width)
        {
            throw new ArgumentException("The hashes must be whole and fit a power-of-two width.", nameof(hashes));
        }
        if (count == 0)
        {
            // A sub-tree with no real leaves is pad(height) relative to the given pad.
            pad.CopyTo(destination);
            for (var w = width; w > 1; w /= 2) HashPair(destination, destination, destination);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(count * HashSize);
        try
        {
            var layer = rented.AsSpan(0, count * HashSize);
            hashes.CopyTo(layer);
            Span<byte> padLevel = stackalloc byte[HashSize];
            pad.CopyTo(padLevel);
            for (var w = width; w > 1; w /= 2)
            {
                var parents = (count + 1) / 2;
                for (var i = 0; i < parents; i++)
                {
                    var left = layer.Slice(2 * i * HashSize, HashSize);
                    var right = 2 * i + 1 < count ? layer.Slice((2 * i + 1) * HashSize, HashSize) : padLevel;
                    HashPair(left, right, layer.Slice(i * HashSize, HashSize));
                }
                HashPair(padLevel, padLevel, padLevel);
                count = parents;
            }
            layer[..HashSize].CopyTo(destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The piece hash of one piece from its block hashes: the root over them padded with zero leaves to
    /// <paramref name="geometry"/>'s blocks per piece (or, for a file of one piece or less, to the next power of two
    /// of its blocks, which makes it the pieces root).
    /// </summary>
    public static void ComputePieceHash(in MerkleGeometry geometry, ReadOnlySpan<byte> blockHashes, Span<byte> destination)
    {
        var width = geometry.HasPieceLayer ? geometry.BlocksPerPiece : geometry.LeafCount;
        ComputeRoot(blockHashes, width, PadHash(0), destination);
    }

    /// <summary>The pieces root from a complete piece layer (padded with pad(piece layer) to a power of two).</summary>
    public static void ComputeRootFromPieceLayer(in MerkleGeometry geometry, ReadOnlySpan<byte> pieceLayer, Span<byte> destination)
    {
        if (pieceLayer.Length != geometry.PieceCount * HashSize)
        {
            throw new ArgumentException($"A piece layer of {geometry.PieceCount} hashes was expected.", nameof(pieceLayer));
        }
        if (!geometry.HasPieceLayer)
        {
            pieceLayer.CopyTo(destination);
            return;
        }
        ComputeRoot(pieceLayer, NextPowerOfTwo(geometry.PieceCount), PadHash(geometry.PieceLayer), destination);
    }

    private static byte[] BuildPads()
    {
        var pads = new byte[(MaxPadLevel + 1) * HashSize];
        for (var level = 1; level <= MaxPadLevel; level++)
        {
            var previous = pads.AsSpan((level - 1) * HashSize, HashSize);
            HashPair(previous, previous, pads.AsSpan(level * HashSize, HashSize));
        }
        return pads;
    }
}
