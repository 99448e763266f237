using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// Reads a file once and computes its v2 piece layer (SHA-256 leaves per 16 KiB block, reduced per piece) and, for
/// hybrids, its v1 piece hashes (SHA-1 per piece). The file is cut into chunks of whole pieces; one worker per core
/// takes the next chunk, reads it with a positioned read into a pooled buffer and hashes it, so reading overlaps
/// hashing and both cores hash. For hybrids each worker computes both hashes of its chunk: SHA-1 is cheaper than
/// SHA-256, so one thread per algorithm would leave a core idle part of the time. (Mapping the file instead saves the copy, about 10% CPU, but a file truncated while
/// it is hashed would then kill the process with SIGBUS; a positioned read turns that into an IOException.)
/// </summary>
internal static class FileHasher
{
    /// <summary>Chunks are at least 1 MiB (and always whole pieces): large enough that a syscall and a scheduling step
    /// per chunk cost nothing, small enough that both workers stay busy until the end of the file.</summary>
    private const int MinChunkSize = 1024 * 1024;

    private const int V1HashSize = 20;

    public static async Task<(byte[] PieceLayer, byte[]? V1Pieces)> HashAsync(
        SafeFileHandle file, MerkleGeometry geometry, bool v1, CancellationToken cancellationToken)
    {
        var chunkSize = Math.Max(MinChunkSize, geometry.PieceLength);
        var chunkCount = (int)((geometry.FileLength + chunkSize - 1) / chunkSize);
        var pieceLayer = new byte[geometry.PieceCount * MerkleTree.HashSize];
        var v1Pieces = v1 ? new byte[geometry.PieceCount * V1HashSize] : null;
        var next = -1;
        var workers = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, chunkCount));
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = Task.Factory.StartNew(() =>
            {
                var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
                var leaves = ArrayPool<byte>.Shared.Rent(chunkSize / MerkleTree.BlockSize * MerkleTree.HashSize);
                // One reusable hash context per worker and algorithm: no per-block set-up or allocation.
                using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using var sha1 = v1 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA1) : null;
                try
                {
                    int chunk;
                    while ((chunk = Interlocked.Increment(ref next)) < chunkCount)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        HashChunk(file, geometry, chunk, chunkSize, buffer, leaves, pieceLayer, v1Pieces, sha256, sha1);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    ArrayPool<byte>.Shared.Return(leaves);
                }
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return (pieceLayer, v1Pieces);
    }

    private static void HashChunk(
        SafeFileHandle file, MerkleGeometry geometry, int chunk, int chunkSize, byte[] buffer, byte[] leaves,
        byte[] pieceLayer, byte[]? v1Pieces, IncrementalHash sha256, IncrementalHash? sha1)
    {
        var offset = (long)chunk * chunkSize;
        var length = (int)Math.Min(chunkSize, geometry.FileLength - offset);
        var data = buffer.AsSpan(0, length);
        for (var read = 0; read < length;)
        {
            var n = RandomAccess.Read(file, data[read..], offset + read);
            if (n <= 0) throw new IOException($"The file ended early at byte {offset + read} (it changed while hashing?).");
            read += n;
        }
        var firstPiece = (int)(offset / geometry.PieceLength);
        for (var start = 0; start < length; start += geometry.PieceLength)
        {
            var piece = firstPiece + start / geometry.PieceLength;
            var pieceData = data.Slice(start, Math.Min(geometry.PieceLength, length - start));
            var count = 0;
            for (var block = 0; block < pieceData.Length; block += MerkleTree.BlockSize, count++)
            {
                sha256.AppendData(pieceData.Slice(block, Math.Min(MerkleTree.BlockSize, pieceData.Length - block)));
                sha256.GetHashAndReset(leaves.AsSpan(count * MerkleTree.HashSize, MerkleTree.HashSize));
            }
            MerkleTree.ComputePieceHash(geometry, leaves.AsSpan(0, count * MerkleTree.HashSize),
                pieceLayer.AsSpan(piece * MerkleTree.HashSize, MerkleTree.HashSize));
            if (sha1 is not null)
            {
                sha1.AppendData(pieceData);
                sha1.GetHashAndReset(v1Pieces.AsSpan(piece * V1HashSize, V1HashSize));
            }
        }
    }
}
