using System.Buffers;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

internal sealed partial class PeerConnection
{
    private Queue<HashRequestMessage>? _hashRequests;

    private bool HasHashWork => _hashRequests is { Count: > 0 };

    /// <summary>
    /// BEP 52: fields that no tree could satisfy (zero or non-power-of-two length, unaligned index, above the 8192
    /// limit) break the protocol and close the peer; a well-formed request we cannot answer gets a hash reject.
    /// </summary>
    private void OnHashRequest(HashRequestMessage request, long offset)
    {
        if (request.Length == 0 || request.Length > WireLimits.MaxHashRequestLength ||
            (request.Length & (request.Length - 1)) != 0 || request.Index % request.Length != 0 ||
            request.BaseLayer > 63 || request.ProofLayers > 63 || request.Index > int.MaxValue)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidHashRequest,
                $"Hash request base {request.BaseLayer} index {request.Index} length {request.Length} proofs " +
                $"{request.ProofLayers} is impossible.", offset);
        }
        _hashRequests ??= new Queue<HashRequestMessage>();
        if (_hashRequests.Count >= WireLimits.MaxHashRequestQueue)
        {
            throw new WireProtocolException(WireProtocolErrorReason.RequestQueueFull,
                $"More than {WireLimits.MaxHashRequestQueue} outstanding hash requests.", offset);
        }
        _hashRequests.Enqueue(request);
    }

    private async Task ServeHashesAsync(CancellationToken cancellationToken)
    {
        var torrent = TorrentOrThrow;
        var geometry = new MerkleGeometry(torrent.Length, torrent.PieceLength);
        var layer = geometry.HasPieceLayer
            ? await _active!.GetPieceLayerAsync(cancellationToken).ConfigureAwait(false)
            : ReadOnlyMemory<byte>.Empty;
        while (_hashRequests!.TryDequeue(out var request))
        {
            var proof = new MerkleProofRequest((int)request.BaseLayer, (int)request.Index, (int)request.Length,
                (int)request.ProofLayers);
            var error = request.PiecesRoot.Span.SequenceEqual(torrent.PiecesRoot)
                ? MerkleProofs.Validate(geometry, proof)
                : MerkleRequestError.RangeOutOfLayer;
            if (error == MerkleRequestError.None && !geometry.HasPieceLayer) error = MerkleRequestError.UnsupportedBaseLayer;
            var pieceLayerRequest = proof.BaseLayer == geometry.PieceLayer;
            if (error == MerkleRequestError.None && !pieceLayerRequest &&
                proof.Length > Math.Max(WireLimits.MaxBlockLayerHashRequest, geometry.BlocksPerPiece))
            {
                error = MerkleRequestError.LengthTooLarge;
            }
            if (error != MerkleRequestError.None)
            {
                request.As(MessageId.HashReject).Write(_output);
                _engine.CountHashReply(rejected: true);
                EngineLog.HashRequestRejected(_log, Remote, torrent, proof.BaseLayer, proof.Index, proof.Length, error);
                continue;
            }
            var size = MerkleProofs.HashCount(proof) * MerkleTree.HashSize;
            var reply = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                var written = pieceLayerRequest
                    ? MerkleProofs.WritePieceLayerProof(geometry, proof, layer.Span, reply)
                    : WriteBlockLayerProof(torrent, geometry, proof, layer.Span, reply);
                HashesMessage.Write(_output, request, reply.AsSpan(0, written));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(reply);
            }
            _engine.CountHashReply(rejected: false);
            EngineLog.HashesServed(_log, Remote, torrent, proof.BaseLayer, proof.Index, proof.Length, proof.ProofLayers);
        }
    }

    /// <summary>Hashes the blocks of the pieces a block-layer request covers, read from the file, and builds the proof.</summary>
    private int WriteBlockLayerProof(SeedTorrent torrent, in MerkleGeometry geometry, in MerkleProofRequest proof,
        ReadOnlySpan<byte> layer, Span<byte> reply)
    {
        var (firstPiece, pieceCount) = MerkleProofs.BlockRangeFor(geometry, proof);
        var start = (long)firstPiece * torrent.PieceLength;
        var length = (int)Math.Min((long)pieceCount * torrent.PieceLength, torrent.Length - start);
        var data = ArrayPool<byte>.Shared.Rent(length);
        var leaves = ArrayPool<byte>.Shared.Rent((length / WireLimits.BlockSize + 1) * MerkleTree.HashSize);
        try
        {
            int read;
            using (var lease = _engine.Files.Rent(torrent.DataPath))
            {
                read = RandomAccess.Read(lease.Handle, data.AsSpan(0, length), start);
            }
            if (read != length) throw new InvalidDataException($"{torrent.DataPath} is shorter than the torrent says.");
            var count = MerkleTree.HashBlocks(data.AsSpan(0, length), leaves);
            return MerkleProofs.WriteBlockLayerProof(geometry, proof, layer, leaves.AsSpan(0, count * MerkleTree.HashSize), reply);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
            ArrayPool<byte>.Shared.Return(leaves);
        }
    }
}
