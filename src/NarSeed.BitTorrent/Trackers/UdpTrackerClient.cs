using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// BEP 15 UDP tracker: connect, announce, scrape over one socket shared by all concurrent requests, which are told
/// apart by transaction id. A request is retransmitted after base·2^n (BEP 15: 15 s base) and fails after
/// <see cref="TrackerLimits.UdpMaxAttempts"/> tries; the connection id is reused for at most a minute.
/// </summary>
public sealed class UdpTrackerClient : ITrackerClient
{
    private readonly TrackerLimits _limits;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<byte[]>> _pending = new();
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Socket? _socket;
    private Task? _receiveLoop;
    private ulong _connectionId;
    private long _connectedAt;
    private bool _connected;

    public UdpTrackerClient(Uri url, TrackerLimits? limits = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        if (url.Scheme != "udp" || url.Port <= 0) throw new ArgumentException($"Not a UDP tracker URL with a port: {url}", nameof(url));
        Url = url;
        _limits = limits ?? TrackerLimits.Default;
        _log = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    public Uri Url { get; }

    public int MaxScrapeHashes => TrackerLimits.MaxUdpScrapeHashes;

    /// <summary>Replies dropped because no request waited for their transaction id.</summary>
    public long StrayReplies => Interlocked.Read(ref _strayReplies);

    private long _strayReplies;

    public async Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken = default)
    {
        var socket = await EnsureSocketAsync(cancellationToken).ConfigureAwait(false);
        var connectionId = await GetConnectionIdAsync(cancellationToken).ConfigureAwait(false);
        var reply = await ExchangeAsync(txid => UdpTrackerPacket.Announce(connectionId, txid, request), cancellationToken)
            .ConfigureAwait(false);
        return UdpTrackerPacket.ReadAnnounce(reply, socket.AddressFamily == AddressFamily.InterNetworkV6, _limits);
    }

    public async Task<IReadOnlyDictionary<string, ScrapeEntry>> ScrapeAsync(IReadOnlyList<ReadOnlyMemory<byte>> infoHashes,
        CancellationToken cancellationToken = default)
    {
        await EnsureSocketAsync(cancellationToken).ConfigureAwait(false);
        var connectionId = await GetConnectionIdAsync(cancellationToken).ConfigureAwait(false);
        var reply = await ExchangeAsync(txid => UdpTrackerPacket.Scrape(connectionId, txid, infoHashes), cancellationToken)
            .ConfigureAwait(false);
        return UdpTrackerPacket.ReadScrape(reply, infoHashes);
    }

    private async Task<ulong> GetConnectionIdAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connected && _time.GetElapsedTime(_connectedAt) < TrackerLimits.ConnectionIdLifetime) return _connectionId;
            var reply = await ExchangeAsync(UdpTrackerPacket.Connect, cancellationToken).ConfigureAwait(false);
            _connectionId = UdpTrackerPacket.ReadConnect(reply);
            _connectedAt = _time.GetTimestamp();
            _connected = true;
            return _connectionId;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Sends a request and waits for the reply with its transaction id, retransmitting after base·2^n.</summary>
    private async Task<byte[]> ExchangeAsync(Func<uint, byte[]> makePacket, CancellationToken cancellationToken)
    {
        var socket = _socket!;
        uint txid;
        var waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        do
        {
            txid = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        } while (!_pending.TryAdd(txid, waiter));
        try
        {
            var packet = makePacket(txid);
            var wait = _limits.UdpRetransmitBase;
            for (var attempt = 0; attempt < _limits.UdpMaxAttempts; attempt++, wait *= 2)
            {
                try
                {
                    await socket.SendAsync(packet, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    throw new TrackerException(TrackerErrorReason.Network, $"Sending to {Url} failed: {e.SocketErrorCode}", e);
                }
                try
                {
                    return await waiter.Task.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    TrackerLog.UdpRetransmit(_log, Url, attempt + 1, wait);
                }
            }
            _connected = false; // the tracker may have restarted: get a fresh connection id next time
            throw new TrackerException(TrackerErrorReason.Timeout,
                $"No reply from {Url} after {_limits.UdpMaxAttempts} attempts.");
        }
        finally
        {
            _pending.TryRemove(txid, out _);
        }
    }

    private async Task<Socket> EnsureSocketAsync(CancellationToken cancellationToken)
    {
        if (_socket is { } existing) return existing;
        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket is { } again) return again;
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(Url.DnsSafeHost, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(Url.DnsSafeHost, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new TrackerException(TrackerErrorReason.Network, $"Cannot resolve {Url.Host}: {e.SocketErrorCode}", e);
            }
            if (addresses.Length == 0) throw new TrackerException(TrackerErrorReason.Network, $"{Url.Host} has no address.");
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            await socket.ConnectAsync(new IPEndPoint(address, Url.Port), cancellationToken).ConfigureAwait(false);
            _receiveLoop = ReceiveLoopAsync(socket, _closing.Token);
            _socket = socket;
            return socket;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                continue; // ICMP port unreachable from an earlier send; the request times out on its own
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (!UdpTrackerPacket.TryReadTransactionId(buffer.AsSpan(0, length), out var txid))
            {
                Interlocked.Increment(ref _strayReplies);
                TrackerLog.UdpStray(_log, Url, length, "shorter than 8 bytes");
                continue;
            }
            if (_pending.TryGetValue(txid, out var waiter)) waiter.TrySetResult(buffer.AsSpan(0, length).ToArray());
            else
            {
                Interlocked.Increment(ref _strayReplies);
                TrackerLog.UdpStray(_log, Url, length, $"unknown transaction id {txid:x8}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested) return;
        _closing.Cancel();
        _socket?.Dispose();
        if (_receiveLoop is { } loop) await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _closing.Dispose();
    }
}
