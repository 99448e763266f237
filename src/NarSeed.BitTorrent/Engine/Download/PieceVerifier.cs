using System.Buffers;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>Checks a whole piece against its v2 hash (BEP 52: the Merkle root of its 16 KiB blocks, zero-padded).</summary>
internal static class PieceVerifier
{
    public static int PieceSize(TorrentInfo torrent, int piece) =>
        (int)Math.Min(torrent.PieceLength, torrent.Length - (long)piece * torrent.PieceLength);

    public static bool Verify(TorrentInfo torrent, int piece, ReadOnlySpan<byte> data)
    {
        if (data.Length != PieceSize(torrent, piece)) return false;
        var blocks = (int)MerkleTree.BlockCount(data.Length);
        var rented = ArrayPool<byte>.Shared.Rent(blocks * MerkleTree.HashSize);
        try
        {
            var leaves = rented.AsSpan(0, blocks * MerkleTree.HashSize);
            MerkleTree.HashBlocks(data, leaves);
            Span<byte> hash = stackalloc byte[MerkleTree.HashSize];
            MerkleTree.ComputePieceHash(torrent.Geometry, leaves, hash);
            return hash.SequenceEqual(torrent.GetPieceHash(piece));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
