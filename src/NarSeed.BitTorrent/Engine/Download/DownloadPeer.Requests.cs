using System.Buffers;
using System.Collections.Concurrent;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

internal sealed partial class DownloadPeer
{
    private readonly Dictionary<int, PieceBuffer> _assigned = [];
    private readonly HashSet<long> _outstanding = [];
    /// <summary>Most requests sent in one top-up (64 × 16 KiB = 1 MiB; a quarter of the default depth).</summary>
    private const int MaxRequestBatch = 64;

    /// <summary>
    /// Whole pieces of one peer waiting for verification on worker threads; past this the network thread verifies
    /// itself. Bounds the buffers held per peer (4 × the piece length) and keeps hashing off the receive path.
    /// </summary>
    private const int MaxPiecesVerifying = 4;

    private readonly ConcurrentQueue<int> _verified = new();
    private int _verifyingCount;
    private int _deliveredPieces;
    private bool _interestedSent;
    private int _peerQueueLimit = int.MaxValue;

    /// <summary>Verified pieces this peer delivered.</summary>
    public int DeliveredPieces => Volatile.Read(ref _deliveredPieces);

    private bool HasOutstandingRequests => Volatile.Read(ref _outstandingCount) > 0;

    private int _outstandingCount;

    /// <summary>After each batch of messages: ask for metadata or hashes, declare interest, and top up requests.</summary>
    private void Act()
    {
        if (!_handshaken) return;
        if (!_download.IsReady)
        {
            RequestMetadataAndHashes();
            return;
        }
        ApplyAvailability();
        if (_peerHas is null) return;
        CollectVerified();
        DropPiecesDoneElsewhere();
        if (!_interestedSent)
        {
            if (!WantsSomething()) return;
            StateMessage.Write(_output!, MessageId.Interested);
            _interestedSent = true;
        }
        if (_choked) return;
        FillPipeline();
    }

    private bool WantsSomething()
    {
        var picker = _download.Picker!;
        for (var i = 0; i < _peerHas!.Length; i++) if (_peerHas[i] && !picker.Has(i)) return true;
        return false;
    }

    /// <summary>
    /// Tops the pipeline up to its depth, but only once a batch's worth of requests has been answered: each top-up is
    /// one send, and on loopback a send also runs the receiver's TCP path, so a few requests per received read (the
    /// old behaviour) cost a quarter of the downloader's CPU in the download-peer benchmark.
    /// </summary>
    private void FillPipeline()
    {
        var depth = Math.Min(Options.RequestQueueDepth, _peerQueueLimit);
        var batch = Math.Clamp(depth / 4, 1, MaxRequestBatch);
        if (_outstanding.Count > depth - batch) return;
        var torrent = _download.Torrent!;
        while (_outstanding.Count < depth)
        {
            var buffer = NextUnrequested();
            if (buffer is null)
            {
                var piece = _download.Picker!.Pick(_peerHas, _assigned.Keys);
                if (piece < 0) break;
                buffer = new PieceBuffer(piece, PieceVerifier.PieceSize(torrent, piece));
                _assigned.Add(piece, buffer);
            }
            var begin = buffer.NextBlock * WireLimits.BlockSize;
            var length = Math.Min(WireLimits.BlockSize, buffer.Size - begin);
            buffer.NextBlock++;
            new BlockRequestMessage(MessageId.Request, (uint)buffer.Piece, (uint)begin, (uint)length).Write(_output!);
            if (_outstanding.Count == 0) Volatile.Write(ref _lastBlock, _download.Time.GetTimestamp());
            _outstanding.Add(Key(buffer.Piece, begin));
        }
        Volatile.Write(ref _outstandingCount, _outstanding.Count);
    }

    /// <summary>An assigned piece with blocks not yet requested, or null.</summary>
    private PieceBuffer? NextUnrequested()
    {
        foreach (var buffer in _assigned.Values) if (buffer.NextBlock < buffer.BlockCount) return buffer;
        return null;
    }

    private void OnBlock(PieceMessage message, long offset)
    {
        var length = (int)message.Block.Length;
        _download.CountReceived(length);
        var piece = (int)message.Index;
        if (!_outstanding.Remove(Key(piece, (int)message.Begin)) || !_assigned.TryGetValue(piece, out var buffer))
        {
            // After a choke we dropped our requests; a block still in flight is simply wasted.
            return;
        }
        Volatile.Write(ref _outstandingCount, _outstanding.Count);
        Volatile.Write(ref _lastBlock, _download.Time.GetTimestamp());
        var begin = (int)message.Begin;
        if (begin + length > buffer.Size || length != Math.Min(WireLimits.BlockSize, buffer.Size - begin))
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidMessageLength,
                $"Block {piece}/{begin} of {length} bytes is not what was requested.", offset);
        }
        message.Block.CopyTo(buffer.Data.AsSpan(begin));
        if (++buffer.Received < buffer.BlockCount) return;
        // The whole piece is in: hash and write it on another thread while this one goes on receiving, unless too
        // many of this peer's pieces are already waiting (then here, which slows the peer down).
        buffer.Verifying = true;
        if (Interlocked.Increment(ref _verifyingCount) <= MaxPiecesVerifying)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Peer.VerifyElsewhere(state.Buffer), (Peer: this, Buffer: buffer),
                preferLocal: false);
            return;
        }
        if (Verify(buffer) == PieceVerdict.Bad) throw new PeerBannedException($"sent piece {piece}, which failed verification");
    }

    /// <summary>Verifies, writes and counts a whole piece, then gives its buffer back; bans the peer if it was bad.</summary>
    private PieceVerdict Verify(PieceBuffer buffer)
    {
        try
        {
            var verdict = _download.CommitPiece(buffer.Piece, buffer.Data.AsSpan(0, buffer.Size), fromWebSeed: false);
            if (verdict == PieceVerdict.Bad) _download.Ban(Remote, $"piece {buffer.Piece} failed verification");
            if (verdict == PieceVerdict.Verified) Interlocked.Increment(ref _deliveredPieces);
            return verdict;
        }
        finally
        {
            buffer.Return();
            _verified.Enqueue(buffer.Piece);
            Interlocked.Decrement(ref _verifyingCount);
        }
    }

    /// <summary><see cref="Verify"/> on a worker thread: a bad piece or a storage failure closes the connection.</summary>
    private void VerifyElsewhere(PieceBuffer buffer)
    {
        try
        {
            if (Verify(buffer) == PieceVerdict.Bad) Close($"sent piece {buffer.Piece}, which failed verification");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException or InvalidOperationException)
        {
            // The download ended (its file is closed) or the disk failed; the run reports the latter.
            Close(e.Message);
        }
    }

    /// <summary>Forgets the pieces whose verification finished (network thread).</summary>
    private void CollectVerified()
    {
        while (_verified.TryDequeue(out var piece))
        {
            if (_assigned.TryGetValue(piece, out var buffer) && buffer.Verifying) _assigned.Remove(piece);
        }
    }

    private void OnReject(BlockRequestMessage reject)
    {
        var piece = (int)reject.Index;
        if (!_outstanding.Remove(Key(piece, (int)reject.Begin))) return;
        // The peer will not send this block: give the whole piece back so another source (or a later unchoke) takes it.
        DropPiece(piece, sendCancels: false);
    }

    /// <summary>End game: another source completed a piece we are also fetching — cancel our copy.</summary>
    private void DropPiecesDoneElsewhere()
    {
        var picker = _download.Picker!;
        List<int>? done = null;
        foreach (var (piece, buffer) in _assigned)
        {
            if (!buffer.Verifying && picker.Has(piece)) (done ??= []).Add(piece);
        }
        if (done is null) return;
        foreach (var piece in done) DropPiece(piece, sendCancels: true);
    }

    private void DropPiece(int piece, bool sendCancels)
    {
        if (!_assigned.TryGetValue(piece, out var buffer) || buffer.Verifying) return;
        _assigned.Remove(piece);
        for (var block = 0; block < buffer.NextBlock; block++)
        {
            var begin = block * WireLimits.BlockSize;
            if (!_outstanding.Remove(Key(piece, begin)) || !sendCancels) continue;
            new BlockRequestMessage(MessageId.Cancel, (uint)piece, (uint)begin,
                (uint)Math.Min(WireLimits.BlockSize, buffer.Size - begin)).Write(_output!);
        }
        Volatile.Write(ref _outstandingCount, _outstanding.Count);
        _download.Picker!.Release(piece);
        buffer.Return();
    }

    /// <summary>Gives every assigned piece back (choke, close).</summary>
    private void ReleaseAll()
    {
        foreach (var piece in _assigned.Keys.ToArray()) DropPiece(piece, sendCancels: false);
        _outstanding.Clear();
        Volatile.Write(ref _outstandingCount, 0);
    }

    /// <summary>The peer is gone: its pieces no longer count towards availability.</summary>
    private void RemoveAvailability()
    {
        if (!_availabilityCounted || _peerHas is null || _download.Picker is not { } picker) return;
        picker.AddAvailability(_peerHas, -1);
        _availabilityCounted = false;
    }

    private static long Key(int piece, int begin) => ((long)piece << 32) | (uint)begin;

    /// <summary>A piece being fetched from this peer, in a pooled buffer.</summary>
    private sealed class PieceBuffer(int piece, int size)
    {
        public int Piece { get; } = piece;
        public int Size { get; } = size;
        public int BlockCount { get; } = (size + WireLimits.BlockSize - 1) / WireLimits.BlockSize;
        public byte[] Data { get; private set; } = ArrayPool<byte>.Shared.Rent(size);
        public int NextBlock { get; set; }
        public int Received { get; set; }

        /// <summary>Complete and handed to <see cref="Verify"/>, which owns the buffer and the picker's claim from then on.</summary>
        public bool Verifying { get; set; }

        public void Return()
        {
            if (Data.Length == 0) return;
            ArrayPool<byte>.Shared.Return(Data);
            Data = [];
        }
    }
}
