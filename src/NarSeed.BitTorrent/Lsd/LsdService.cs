using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NarSeed.BitTorrent.Lsd;

/// <summary>
/// BEP 14 local service discovery on the IPv4 and IPv6 groups: announces its torrents (several per packet, each
/// torrent every <see cref="LsdOptions.AnnounceInterval"/>, at most one packet per
/// <see cref="LsdOptions.MinPacketInterval"/>) and reports peers others announce. Its own packets are recognised by
/// cookie and ignored.
/// </summary>
public sealed class LsdService : IAsyncDisposable
{
    private readonly LsdOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly PriorityQueue<(string Hex, int Generation), long> _due = new();
    private readonly Dictionary<string, (ReadOnlyMemory<byte> Hash, int Generation)> _torrents = [];
    private readonly List<(Socket Socket, IPEndPoint Group)> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0);
    private long _packetsSent;
    private long _ownIgnored;
    private long _malformed;

    public LsdService(LsdOptions options, Func<int> port, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        options.Validate();
        _options = options;
        Port = port;
        _log = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        Cookie = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    /// <summary>Our TCP port (read when a packet is sent).</summary>
    public Func<int> Port { get; }

    /// <summary>Our random cookie; packets carrying it are our own.</summary>
    public string Cookie { get; }

    /// <summary>Called with (20-byte info-hash, peer endpoint) for every hash in every foreign announce.</summary>
    public Action<ReadOnlyMemory<byte>, IPEndPoint>? PeerAnnounced { get; set; }

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    public long OwnPacketsIgnored => Interlocked.Read(ref _ownIgnored);

    public long MalformedPackets => Interlocked.Read(ref _malformed);

    /// <summary>Groups actually joined (an address family without a usable interface is skipped and logged).</summary>
    public IReadOnlyList<IPEndPoint> Groups => _sockets.Select(s => s.Group).ToList();

    public void Add(ReadOnlyMemory<byte> infoHash)
    {
        if (infoHash.Length != 20) throw new ArgumentException("LSD announces 20-byte info-hashes.", nameof(infoHash));
        var hex = Convert.ToHexStringLower(infoHash.Span);
        lock (_lock)
        {
            var generation = _torrents.TryGetValue(hex, out var old) ? old.Generation + 1 : 0;
            _torrents[hex] = (infoHash, generation);
            _due.Enqueue((hex, generation), _time.GetTimestamp());
        }
        _wake.Release();
    }

    public bool Remove(ReadOnlyMemory<byte> infoHash)
    {
        lock (_lock) return _torrents.Remove(Convert.ToHexStringLower(infoHash.Span));
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_options.EnableIPv4) Open(AddressFamily.InterNetwork, LsdOptions.IPv4Group);
        if (_options.EnableIPv6) Open(AddressFamily.InterNetworkV6, LsdOptions.IPv6Group);
        foreach (var (socket, _) in _sockets) _loops.Add(ReceiveLoopAsync(socket, _stopping.Token));
        _loops.Add(AnnounceLoopAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private void Open(AddressFamily family, IPAddress group)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (family == AddressFamily.InterNetwork)
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, _options.Port));
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, IPAddress.Any));
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, _options.TimeToLive);
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            }
            else
            {
                socket.DualMode = false;
                socket.Bind(new IPEndPoint(IPAddress.IPv6Any, _options.Port));
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group));
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, _options.TimeToLive);
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
            }
            _sockets.Add((socket, new IPEndPoint(group, _options.Port)));
            LsdLog.Joined(_log, group, _options.Port);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            LsdLog.JoinFailed(_log, group, e.SocketErrorCode.ToString());
        }
    }

    private async Task AnnounceLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var lastPacket = long.MinValue;
        Task? wakeWait = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetTimestamp();
            var wait = Timeout.InfiniteTimeSpan;
            List<ReadOnlyMemory<byte>>? batch = null;
            lock (_lock)
            {
                while (_due.TryPeek(out var item, out var due))
                {
                    if (!_torrents.TryGetValue(item.Hex, out var torrent) || torrent.Generation != item.Generation)
                    {
                        _due.Dequeue();
                        continue;
                    }
                    if (due > now)
                    {
                        wait = _time.GetElapsedTime(now, due);
                        break;
                    }
                    if (lastPacket != long.MinValue && _time.GetElapsedTime(lastPacket, now) < _options.MinPacketInterval)
                    {
                        wait = _options.MinPacketInterval - _time.GetElapsedTime(lastPacket, now);
                        break;
                    }
                    _due.Dequeue();
                    (batch ??= []).Add(torrent.Hash);
                    _due.Enqueue(item, now + (long)(_options.AnnounceInterval.TotalSeconds * _time.TimestampFrequency));
                    if (batch.Count == PerPacket) break;
                }
            }
            if (batch is not null)
            {
                lastPacket = now;
                await SendAsync(batch, cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                wakeWait ??= _wake.WaitAsync(cancellationToken);
                await wakeWait.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
                wakeWait = null;
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>How many hashes fit one packet (the IPv6 Host header is the longer one).</summary>
    private int PerPacket => LsdMessage.Capacity($"[{LsdOptions.IPv6Group}]:{_options.Port}", 65535, Cookie);

    private async Task SendAsync(List<ReadOnlyMemory<byte>> hashes, CancellationToken cancellationToken)
    {
        foreach (var (socket, group) in _sockets)
        {
            var host = group.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{group.Address}]:{group.Port}" : $"{group.Address}:{group.Port}";
            foreach (var packet in LsdMessage.Format(host, Port(), hashes, Cookie))
            {
                try
                {
                    await socket.SendToAsync(packet, SocketFlags.None, group, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _packetsSent);
                    LsdLog.Announced(_log, group, hashes.Count);
                }
                catch (SocketException e)
                {
                    LsdLog.SendFailed(_log, group, e.SocketErrorCode.ToString());
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[LsdOptions.MaxPacketLength * 2 + 1];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            try
            {
                OnPacket(buffer.AsSpan(0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
            }
            catch (Exception e)
            {
                // One bad packet or a failing subscriber must not end discovery.
                LsdLog.PacketFailed(_log, (IPEndPoint)result.RemoteEndPoint, e);
            }
        }
    }

    private void OnPacket(ReadOnlySpan<byte> packet, IPEndPoint sender)
    {
        if (!LsdMessage.TryParse(packet, out var announcement))
        {
            Interlocked.Increment(ref _malformed);
            LsdLog.Malformed(_log, sender, packet.Length);
            return;
        }
        if (announcement.Cookie == Cookie)
        {
            Interlocked.Increment(ref _ownIgnored);
            return;
        }
        var peer = new IPEndPoint(sender.Address, announcement.Port);
        LsdLog.PeerSeen(_log, peer, announcement.InfoHashes.Count);
        foreach (var hash in announcement.InfoHashes) PeerAnnounced?.Invoke(hash, peer);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        foreach (var (socket, _) in _sockets) socket.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }
}
