using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Fetches a v2 file's piece layer with BEP 52 hash requests, one 512-hash bucket at a time, each with proof layers
/// up to the root, so every reply is checked against the pieces root on its own (<see cref="MerkleProofs"/>).
/// </summary>
internal sealed class PieceLayerAssembler
{
    private readonly object _lock = new();
    private readonly TorrentInfo _torrent;
    private readonly byte[] _layer;
    private readonly bool[] _done;
    private readonly bool[] _requested;
    private int _missing;

    public PieceLayerAssembler(TorrentInfo torrent)
    {
        _torrent = torrent;
        _layer = new byte[torrent.PieceCount * MerkleTree.HashSize];
        var buckets = (torrent.PieceCount + DownloadOptions.PieceLayerBucket - 1) / DownloadOptions.PieceLayerBucket;
        _done = new bool[buckets];
        _requested = new bool[buckets];
        _missing = buckets;
    }

    public bool IsComplete { get { lock (_lock) return _missing == 0; } }

    public byte[] Layer => _layer;

    /// <summary>The next bucket to ask for (a new one first, else one still missing), or null when all are in.</summary>
    public HashRequestMessage? NextRequest()
    {
        lock (_lock)
        {
            var bucket = Array.FindIndex(_requested, r => !r);
            if (bucket < 0) bucket = Array.FindIndex(_done, d => !d);
            if (bucket < 0) return null;
            _requested[bucket] = true;
            return RequestFor(bucket);
        }
    }

    public void Release(in HashRequestMessage request)
    {
        lock (_lock)
        {
            var bucket = (int)(request.Index / DownloadOptions.PieceLayerBucket);
            if (bucket < _requested.Length && !_done[bucket]) _requested[bucket] = false;
        }
    }

    /// <summary>
    /// Checks a <c>hashes</c> reply to one of our requests; false when it is not one we asked for or does not prove
    /// its hashes against the root (the peer lied). Returns true and stores the hashes otherwise.
    /// </summary>
    public bool Accept(in HashRequestMessage request, ReadOnlySpan<byte> hashes)
    {
        var geometry = _torrent.Geometry;
        if (request.Index % DownloadOptions.PieceLayerBucket != 0) return false;
        var bucket = (int)(request.Index / DownloadOptions.PieceLayerBucket);
        if (bucket >= _done.Length) return false;
        var expected = RequestFor(bucket);
        if (request.BaseLayer != expected.BaseLayer || request.Length != expected.Length ||
            request.ProofLayers != expected.ProofLayers || !request.PiecesRoot.Span.SequenceEqual(expected.PiecesRoot.Span))
        {
            return false;
        }
        var proof = new MerkleProofRequest((int)request.BaseLayer, (int)request.Index, (int)request.Length, (int)request.ProofLayers);
        if (hashes.Length != MerkleProofs.HashCount(proof) * MerkleTree.HashSize) return false;
        if (!MerkleProofs.VerifiesAgainstRoot(geometry, proof, hashes, _torrent.PiecesRoot.Span)) return false;
        lock (_lock)
        {
            if (_done[bucket]) return true;
            var real = Math.Min((int)request.Length, _torrent.PieceCount - (int)request.Index);
            hashes[..(real * MerkleTree.HashSize)].CopyTo(_layer.AsSpan((int)request.Index * MerkleTree.HashSize));
            _done[bucket] = true;
            _missing--;
            return true;
        }
    }

    private HashRequestMessage RequestFor(int bucket)
    {
        var geometry = _torrent.Geometry;
        var index = bucket * DownloadOptions.PieceLayerBucket;
        var length = (int)Math.Min(DownloadOptions.PieceLayerBucket, MerkleTree.NextPowerOfTwo(_torrent.PieceCount - index));
        // Proof layers up to the level below the root: the reply then folds to the root by itself.
        var proofLayers = geometry.TreeHeight - geometry.PieceLayer - 1;
        return new HashRequestMessage(MessageId.HashRequest, _torrent.PiecesRoot, (uint)geometry.PieceLayer, (uint)index,
            (uint)length, (uint)proofLayers);
    }
}
