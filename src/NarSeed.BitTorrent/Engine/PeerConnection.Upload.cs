using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

internal sealed partial class PeerConnection
{
    /// <summary>At most this many bytes of blocks are read with one positioned vector read and sent in one flush.</summary>
    private const int MaxBatchBytes = 256 * 1024;

    private readonly Queue<BlockRequestMessage> _requests = new();
    private readonly BlockBufferList _blockBuffers = new(MaxBatchBytes / WireLimits.BlockSize);
    private bool _choked = true;

    private bool HasWork => HasUploadWork || HasExtensionWork || HasHashWork;

    private bool HasUploadWork => _requests.Count > 0;

    /// <summary>Sends what other threads asked for: a keep-alive, a choke or an unchoke.</summary>
    private void ApplyPendingState()
    {
        if (Interlocked.Exchange(ref _pendingKeepAlive, 0) == 1 && _output.UnflushedBytes == 0)
        {
            WireFrame.WriteKeepAlive(_output);
        }
        WritePendingPex();
        var wantUnchoked = _wantUnchoked;
        if (wantUnchoked == !_choked) return;
        _choked = !wantUnchoked;
        StateMessage.Write(_output, _choked ? MessageId.Choke : MessageId.Unchoke);
        if (!_choked) return;
        // BEP 6: after a choke every pending request except allowed-fast ones gets a reject (or is dropped).
        var count = _requests.Count;
        for (var i = 0; i < count; i++)
        {
            var request = _requests.Dequeue();
            if (IsAllowedFast(request.Index)) _requests.Enqueue(request);
            else if (_fast) (request with { Id = MessageId.RejectRequest }).Write(_output);
        }
    }

    private async Task DoWorkAsync(CancellationToken cancellationToken)
    {
        if (HasExtensionWork) await ServeMetadataAsync(cancellationToken).ConfigureAwait(false);
        if (HasHashWork) await ServeHashesAsync(cancellationToken).ConfigureAwait(false);
        if (HasUploadWork) await ServeBlocksAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves the head of the request queue: a run of requests for consecutive bytes of the file (up to
    /// <see cref="MaxBatchBytes"/>) is read with one vector read straight into the output pipe, between the piece
    /// headers, and sent with one flush.
    /// </summary>
    private async Task ServeBlocksAsync(CancellationToken cancellationToken)
    {
        var torrent = TorrentOrThrow;
        var first = _requests.Peek();
        var start = (long)first.Index * torrent.PieceLength + first.Begin;
        var count = 0;
        var dataBytes = 0;
        var next = start;
        // Under a rate limit a batch is at most an eighth of a second of traffic, so peers sharing the limit take
        // turns in small steps and none waits long without reading its socket.
        var rate = _engine.RateLimiter.BytesPerSecond;
        var maxBatch = rate == 0 ? MaxBatchBytes : (int)Math.Clamp(rate / 8, WireLimits.BlockSize, MaxBatchBytes);
        foreach (var request in _requests)
        {
            var offset = (long)request.Index * torrent.PieceLength + request.Begin;
            if (count > 0 && (offset != next || dataBytes + request.Length > maxBatch || count == _blockBuffers.Capacity)) break;
            next += request.Length;
            dataBytes += (int)request.Length;
            count++;
        }

        await _engine.RateLimiter.AcquireAsync(dataBytes, cancellationToken).ConfigureAwait(false);

        var frameBytes = dataBytes + count * PieceMessage.HeaderLength;
        var memory = _output.GetMemory(frameBytes);
        _blockBuffers.Clear();
        var position = 0;
        var i = 0;
        foreach (var request in _requests)
        {
            if (i++ == count) break;
            PieceMessage.WriteHeader(memory.Span[position..], request.Index, request.Begin, (int)request.Length);
            position += PieceMessage.HeaderLength;
            _blockBuffers.Add(memory.Slice(position, (int)request.Length));
            position += (int)request.Length;
        }

        long read;
        using (var lease = _engine.Files.Rent(torrent.DataPath))
        {
            read = RandomAccess.Read(lease.Handle, _blockBuffers, start);
        }
        var realBytes = (int)Math.Clamp(torrent.Length - start, 0, dataBytes);
        if (read != realBytes)
        {
            throw new InvalidDataException(
                $"{torrent.DataPath} ended at byte {start + read}, the torrent says {torrent.Length} bytes.");
        }
        if (realBytes < dataBytes) ZeroPastEndOfFile(realBytes);
        _output.Advance(frameBytes);
        for (var k = 0; k < count; k++) _requests.Dequeue();
        Interlocked.Add(ref _uploadedSinceRechoke, dataBytes);
        Interlocked.Add(ref _uploadedTotal, dataBytes);
        _engine.CountUpload(torrent, dataBytes);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Bytes of the last piece beyond the end of the file are v2 tail padding: zeros.</summary>
    private void ZeroPastEndOfFile(int realBytes)
    {
        var position = 0;
        foreach (var buffer in _blockBuffers)
        {
            var keep = Math.Clamp(realBytes - position, 0, buffer.Length);
            buffer.Span[keep..].Clear();
            position += buffer.Length;
        }
    }
}
