using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// One outgoing connection of a download: one task connects, handshakes, reads and parses messages with the shared
/// Wire codec, keeps the request pipeline full, and serves the peer's requests for verified pieces. Other threads
/// only wake it or close its socket.
/// </summary>
internal sealed partial class DownloadPeer
{
    /// <summary>Output segments; requests are small, but a burst of 256 of them fits in one.</summary>
    private const int OutputSegmentSize = 16 * 1024;

    /// <summary>Input buffer: large enough for several 16 KiB blocks per read.</summary>
    private const int InputBufferSize = 128 * 1024;

    private readonly TorrentDownload _download;
    private readonly Socket _socket;
    private PipeReader? _input;
    private PipeWriter? _output;
    private long _connectedAt;
    private long _lastReceived;
    private long _lastSent;
    private long _lastBlock;
    private volatile bool _handshaken;
    private volatile string? _closeReason;
    private int _keepAliveDue;

    public DownloadPeer(TorrentDownload download, IPEndPoint remote)
    {
        _download = download;
        Remote = remote;
        _socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    public IPEndPoint Remote { get; }

    private DownloadOptions Options => _download.Options;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var detail = "finished";
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(Options.ConnectTimeout);
                await _socket.ConnectAsync(Remote, connect.Token).ConfigureAwait(false);
            }
            var stream = new NetworkStream(_socket, ownsSocket: true);
            _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: InputBufferSize, minimumReadSize: 16 * 1024));
            _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: OutputSegmentSize));
            _connectedAt = _lastReceived = _lastSent = _lastBlock = _download.Time.GetTimestamp();
            Handshake.Write(_output, ReservedBits.Extension | ReservedBits.Fast, _download.HandshakeHash, _download.PeerId);
            WriteExtensionHandshake();
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await MessageLoopAsync(cancellationToken).ConfigureAwait(false);
            detail = "the peer closed the connection";
        }
        catch (PeerBannedException e)
        {
            detail = e.Message;
        }
        catch (WireProtocolException e)
        {
            detail = $"{e.Reason}: {e.Message}";
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                      or InvalidOperationException)
        {
            detail = _closeReason ?? e.Message;
        }
        finally
        {
            // Pieces handed to worker threads are judged before the connection counts as gone (a bad one bans the peer).
            while (Volatile.Read(ref _verifyingCount) > 0) await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
            ReleaseAll();
            StopUploading();
            RemoveAvailability();
            ReleaseMetadataAndHashRequests();
            DownloadLog.PeerClosed(_download.Log, Remote, detail);
            _socket.Close(0);
            if (_input is not null) await _input.CompleteAsync().ConfigureAwait(false);
            if (_output is not null)
            {
                try
                {
                    await _output.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                }
            }
        }
    }

    private async Task MessageLoopAsync(CancellationToken cancellationToken)
    {
        var input = _input!;
        while (true)
        {
            WritePendingPex();
            Act();
            AnnouncePieces();
            await ServeRequestsAsync(cancellationToken).ConfigureAwait(false);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            if (_download.IsComplete) return;
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                if (!buffer.IsEmpty) Volatile.Write(ref _lastReceived, _download.Time.GetTimestamp());
                consumed = ProcessMessages(buffer);
            }
            finally
            {
                input.AdvanceTo(consumed, buffer.End);
            }
            if (result.IsCompleted) return;
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _keepAliveDue, 0) == 1 && _handshaken) WireFrame.WriteKeepAlive(_output!);
        if (_output!.UnflushedBytes == 0) return;
        var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastSent, _download.Time.GetTimestamp());
        if (flush.IsCompleted) throw new IOException("The peer closed the connection.");
    }

    /// <summary>Heartbeat: handshake, request and silence deadlines; keep-alives.</summary>
    public void OnHeartbeat(long now)
    {
        if (_input is null) return;
        var time = _download.Time;
        if (!_handshaken && time.GetElapsedTime(_connectedAt, now) > Options.HandshakeTimeout)
        {
            Close("no handshake in time");
        }
        else if (HasOutstandingRequests && time.GetElapsedTime(Volatile.Read(ref _lastBlock), now) > Options.RequestTimeout)
        {
            Close("requests not answered in time");
        }
        else if (time.GetElapsedTime(Volatile.Read(ref _lastReceived), now) > Options.PeerTimeout)
        {
            Close("silent for too long");
        }
        else if (time.GetElapsedTime(Volatile.Read(ref _lastSent), now) > Options.KeepAliveInterval)
        {
            Volatile.Write(ref _keepAliveDue, 1);
            Wake();
        }
    }

    /// <summary>Makes the task look at shared state again (metadata arrived, a piece was completed elsewhere).</summary>
    public void Wake()
    {
        try
        {
            _input?.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Close(string? reason = null)
    {
        _closeReason ??= reason;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _socket.Close(0);
    }

    /// <summary>Thrown inside the task when the peer sent data that failed verification.</summary>
    private sealed class PeerBannedException(string message) : Exception(message);
}
