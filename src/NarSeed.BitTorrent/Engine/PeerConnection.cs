using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// One incoming peer: one task reads, parses and answers over pipes on its socket. The codec frames; this class gives
/// the messages meaning. Other threads (the heartbeat, the choker) only set flags, wake the task or close the socket.
/// </summary>
internal sealed partial class PeerConnection
{
    private readonly SeedEngine _engine;
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ILogger _log;
    private readonly long _connectedAt;
    private long _lastReceived;
    private long _lastSent;
    private long _lastInterest;
    private int _closeReason = -1;
    private int _pendingKeepAlive;
    private volatile bool _handshaken;
    private volatile bool _peerInterested;
    private volatile bool _wantUnchoked;
    private long _uploadedSinceRechoke;

    public PeerConnection(SeedEngine engine, Socket socket, ILogger log)
    {
        _engine = engine;
        _socket = socket;
        _log = log;
        Remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: OutputSegmentSize));
        _connectedAt = _lastReceived = _lastSent = _lastInterest = engine.Time.GetTimestamp();
    }

    /// <summary>Output segments hold several 16 KiB blocks so one socket write carries a whole upload batch.</summary>
    private const int OutputSegmentSize = 64 * 1024;

    public IPEndPoint Remote { get; }

    public bool IsInterested => _peerInterested && _handshaken;

    public SeedTorrent? Torrent => _active?.Torrent;

    public long UploadedTotal => Interlocked.Read(ref _uploadedTotal);

    private long _uploadedTotal;

    public long TakeUploadedSinceRechoke() => Interlocked.Exchange(ref _uploadedSinceRechoke, 0);

    /// <summary>The choker's wish; the connection's task sends the message.</summary>
    public void RequestChoke(bool choke)
    {
        _wantUnchoked = !choke;
        Wake();
    }

    /// <summary>Runs the connection until the peer leaves, breaks a rule, or the engine stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await ReadHandshakeAsync(cancellationToken).ConfigureAwait(false)) return;
            WriteGreeting();
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await MessageLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WireProtocolException e)
        {
            _engine.CountViolation(e.Reason);
            // Every libtorrent peer opens with an encrypted attempt; that is routine, not worth an information line.
            if (e.Reason == WireProtocolErrorReason.NotBitTorrentHandshake) EngineLog.NotPlaintext(_log, Remote);
            else EngineLog.PeerBroke(_log, Remote, e.Reason, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                      or InvalidOperationException)
        {
            if (Volatile.Read(ref _closeReason) < 0 && !cancellationToken.IsCancellationRequested)
            {
                EngineLog.PeerLeft(_log, Remote, e.Message);
            }
        }
        catch (InvalidDataException e)
        {
            EngineLog.StorageFailed(_log, Remote, e.Message);
        }
        finally
        {
            // A deadline the heartbeat enforced (it closed the socket; the read then failed or ended).
            if (Volatile.Read(ref _closeReason) is var reason and >= 0)
            {
                _engine.CountViolation((WireProtocolErrorReason)reason);
                EngineLog.PeerBroke(_log, Remote, (WireProtocolErrorReason)reason, "deadline passed");
            }
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task MessageLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ApplyPendingState();
            if (HasWork && _socket.Available == 0)
            {
                await DoWorkAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                consumed = ProcessMessages(buffer);
            }
            finally
            {
                _input.AdvanceTo(consumed, buffer.End);
            }
            if (result.IsCompleted) return;
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.UnflushedBytes == 0) return;
        var flush = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastSent, _engine.Time.GetTimestamp());
        if (flush.IsCompleted) throw new IOException("The peer closed the connection.");
    }

    /// <summary>Heartbeat: closes a peer past a deadline, asks for a keep-alive when we have been quiet.</summary>
    public void OnHeartbeat(long now, SeedEngineOptions options)
    {
        var time = _engine.Time;
        if (!_handshaken && time.GetElapsedTime(_connectedAt, now) > options.HandshakeTimeout)
        {
            Close(WireProtocolErrorReason.HandshakeTimeout);
        }
        else if (time.GetElapsedTime(Volatile.Read(ref _lastReceived), now) > options.PeerTimeout)
        {
            Close(WireProtocolErrorReason.PeerTimeout);
        }
        else if (_handshaken && !_peerInterested &&
                 time.GetElapsedTime(Volatile.Read(ref _lastInterest), now) > options.InactivityTimeout)
        {
            Close(WireProtocolErrorReason.PeerTimeout);
        }
        else if (_handshaken && time.GetElapsedTime(Volatile.Read(ref _lastSent), now) > options.KeepAliveInterval)
        {
            Volatile.Write(ref _pendingKeepAlive, 1);
            Wake();
        }
    }

    /// <summary>Closes the connection from another thread; the task notices when its read fails.</summary>
    public void Close(WireProtocolErrorReason? reason)
    {
        if (reason is { } r) Interlocked.CompareExchange(ref _closeReason, (int)r, -1);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _socket.Close(0);
    }

    private void Wake()
    {
        try
        {
            _input.CancelPendingRead();
        }
        catch (InvalidOperationException)
        {
            // The reader completed: the connection is closing anyway.
        }
    }

    private async Task CloseAsync()
    {
        _engine.Detach(this);
        _socket.Close(0);
        await _input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }
}
