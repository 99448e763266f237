using System.Buffers;
using Microsoft.Win32.SafeHandles;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Checks pieces already on disk against the torrent's hashes (what libtorrent calls a recheck): v2 Merkle per piece,
/// or SHA-1 for a torrent checked through <c>pieces</c>. Pieces are read and hashed by up to
/// <see cref="MaxParallelism"/> workers, each with one pooled piece-sized buffer, so memory stays bounded by
/// parallelism × piece length whatever the file's size.
/// </summary>
internal static class PieceChecker
{
    /// <summary>
    /// Workers hashing at once: every core (hashing is CPU-bound and reads are positional), but at most four, so the
    /// pooled buffers stay bounded (four 16 MiB pieces at worst, libtorrent's largest default piece size).
    /// </summary>
    public static readonly int MaxParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Returns which of <paramref name="candidates"/> hold their verified bytes in <paramref name="file"/>. A piece past
    /// the file's end fails. <paramref name="onValid"/> (called concurrently) sees each valid piece's bytes.
    /// </summary>
    public static bool[] Check(TorrentInfo torrent, SafeFileHandle file, bool[] candidates,
        Action<int, ReadOnlyMemory<byte>>? onValid = null, CancellationToken cancellationToken = default)
    {
        var valid = new bool[torrent.PieceCount];
        var length = RandomAccess.GetLength(file);
        var pieces = Enumerable.Range(0, torrent.PieceCount)
            .Where(p => candidates[p] && (long)p * torrent.PieceLength + PieceVerifier.PieceSize(torrent, p) <= length)
            .ToArray();
        if (pieces.Length == 0) return valid;
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, pieces.Length, options,
            () => ArrayPool<byte>.Shared.Rent(torrent.PieceLength),
            (i, _, buffer) =>
            {
                var piece = pieces[i];
                var size = PieceVerifier.PieceSize(torrent, piece);
                var data = buffer.AsMemory(0, size);
                if (ReadFully(file, data.Span, (long)piece * torrent.PieceLength) && PieceVerifier.Verify(torrent, piece, data.Span))
                {
                    valid[piece] = true;
                    onValid?.Invoke(piece, data);
                }
                return buffer;
            },
            buffer => ArrayPool<byte>.Shared.Return(buffer));
        return valid;
    }

    private static bool ReadFully(SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read <= 0) return false;
            destination = destination[read..];
            offset += read;
        }
        return true;
    }
}
