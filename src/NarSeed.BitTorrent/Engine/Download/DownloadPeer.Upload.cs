using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Uploading while downloading: every verified piece is announced with HAVE (not to a peer that has it), an interested
/// peer is unchoked while one of <see cref="DownloadOptions.UploadSlots"/> is free, and its requests for verified
/// pieces are served from the part file under <see cref="DownloadOptions.UploadRateLimit"/>. Requests are held to the
/// seeder's rules (<see cref="BlockRequestRules"/>).
/// </summary>
internal sealed partial class DownloadPeer
{
    /// <summary>Block bytes read and sent in one flush, as the seeder does (PeerConnection.MaxBatchBytes).</summary>
    private const int MaxUploadBatchBytes = 256 * 1024;

    private readonly Queue<BlockRequestMessage> _requests = new();
    private int _announced;
    private bool _peerInterested;
    private bool _amChoking = true;
    private bool _holdsUploadSlot;

    /// <summary>Sends HAVE for the pieces verified since the last call (network thread).</summary>
    private void AnnouncePieces()
    {
        if (!_handshaken || !_download.IsReady) return;
        var count = _download.VerifiedCount;
        for (; _announced < count; _announced++)
        {
            var piece = _download.VerifiedAt(_announced);
            if (_peerHas is { } has && has[piece]) continue;
            new PieceIndexMessage(MessageId.Have, (uint)piece).Write(_output!);
        }
        if (_peerInterested && _amChoking) TryUnchoke();
    }

    private void OnInterested(bool interested)
    {
        _peerInterested = interested;
        if (interested) TryUnchoke();
        else Choke();
    }

    private void TryUnchoke()
    {
        if (!_amChoking || !_download.IsReady || !_download.TryTakeUploadSlot()) return;
        _holdsUploadSlot = true;
        _amChoking = false;
        StateMessage.Write(_output!, MessageId.Unchoke);
    }

    /// <summary>Chokes the peer: its slot is given back and its queued requests are rejected (BEP 6) or dropped.</summary>
    private void Choke()
    {
        if (_amChoking) return;
        _amChoking = true;
        StateMessage.Write(_output!, MessageId.Choke);
        while (_requests.TryDequeue(out var request)) Reject(request);
        StopUploading();
    }

    /// <summary>The connection ends (or chokes): its upload slot goes back to the download.</summary>
    private void StopUploading()
    {
        if (!_holdsUploadSlot) return;
        _holdsUploadSlot = false;
        _download.ReleaseUploadSlot();
    }

    private void OnRequest(BlockRequestMessage request, long offset)
    {
        if (_download.Torrent is not { } torrent || !_download.IsReady)
        {
            Reject(request);
            return;
        }
        BlockRequestRules.Validate(request, torrent.PieceCount, torrent.PieceLength, _requests.Count, offset);
        // Only verified pieces are served; anything else (or any request while choked) gets a reject.
        if (_amChoking || !_download.Picker!.Has((int)request.Index)) Reject(request);
        else _requests.Enqueue(request);
    }

    private void OnCancel(BlockRequestMessage cancel)
    {
        var count = _requests.Count;
        for (var i = 0; i < count; i++)
        {
            var queued = _requests.Dequeue();
            if (queued == cancel with { Id = MessageId.Request }) Reject(queued);
            else _requests.Enqueue(queued);
        }
    }

    /// <summary>BEP 6: a request that will not be served is answered with a reject; without the fast extension it is dropped.</summary>
    private void Reject(BlockRequestMessage request)
    {
        if (_fast) (request with { Id = MessageId.RejectRequest }).Write(_output!);
    }

    /// <summary>Serves queued requests, up to <see cref="MaxUploadBatchBytes"/> per turn of the message loop.</summary>
    private async ValueTask ServeRequestsAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < MaxUploadBatchBytes && _requests.TryPeek(out var request))
        {
            await _download.UploadLimiter.AcquireAsync((int)request.Length, cancellationToken).ConfigureAwait(false);
            if (!_requests.TryDequeue(out request)) break; // choked meanwhile
            WriteBlock(request);
            sent += (int)request.Length;
        }
        if (sent == 0) return;
        _download.CountUploaded(sent);
        // More to serve: do not wait for the peer to speak before the next turn.
        if (_requests.Count > 0) Wake();
    }

    /// <summary>One PIECE message, its block read from the part file; v2 tail padding past the end of the file is zeros.</summary>
    private void WriteBlock(BlockRequestMessage request)
    {
        var torrent = _download.Torrent!;
        var length = (int)request.Length;
        var span = _output!.GetSpan(PieceMessage.HeaderLength + length);
        PieceMessage.WriteHeader(span, request.Index, request.Begin, length);
        var data = span.Slice(PieceMessage.HeaderLength, length);
        var offset = (long)request.Index * torrent.PieceLength + request.Begin;
        var real = (int)Math.Clamp(torrent.Length - offset, 0, length);
        var filled = 0;
        while (filled < real)
        {
            var read = _download.ReadVerified(offset + filled, data[filled..real]);
            if (read <= 0) throw new IOException($"The part file ended at byte {offset + filled}.");
            filled += read;
        }
        data[real..].Clear();
        _output.Advance(PieceMessage.HeaderLength + length);
    }
}
