using System.Buffers;
using System.Security.Cryptography;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Checks a whole piece: against its v2 hash (BEP 52: the Merkle root of its 16 KiB blocks, zero-padded) when the v2
/// piece hashes are known, else against its SHA-1 in <c>pieces</c> (a v1-only torrent, or a hybrid reached through
/// its v1 hash, whose peers cannot be asked for the piece layer).
/// </summary>
internal static class PieceVerifier
{
    public static int PieceSize(TorrentInfo torrent, int piece) =>
        (int)Math.Min(torrent.PieceLength, torrent.Length - (long)piece * torrent.PieceLength);

    public static bool Verify(TorrentInfo torrent, int piece, ReadOnlySpan<byte> data)
    {
        if (data.Length != PieceSize(torrent, piece)) return false;
        if (!torrent.HasV2 || !torrent.HasPieceHashes)
        {
            Span<byte> sha1 = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(data, sha1);
            return torrent.HasV1 && sha1.SequenceEqual(torrent.GetV1PieceHash(piece));
        }
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
