using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// Seeds any number of single-file v2 (or hybrid) torrents over one TCP port. A registered torrent costs only its
/// <see cref="SeedTorrent"/> and one table entry per info-hash; connections, info dicts and piece layers exist only
/// while peers are connected. One task per peer, one heartbeat for all of them.
/// </summary>
public sealed partial class SeedEngine : IAsyncDisposable
{
    private readonly object _registryLock = new();
    private readonly Dictionary<InfoHashKey, SeedTorrent> _byHash = [];
    private readonly Dictionary<SeedTorrent, ActiveTorrent> _active = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<PeerConnection, Task> _connections = new();
    private readonly long[] _violations = new long[Enum.GetValues<WireProtocolErrorReason>().Length];
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private long _bytesUploaded;
    private long _metadataPiecesServed;
    private long _hashRepliesServed;
    private long _hashRequestsRejected;
    private int _torrentCount;

    public SeedEngine(SeedEngineOptions options, ILogger<SeedEngine>? logger = null, TimeProvider? timeProvider = null)
    {
        options.Validate();
        Options = options;
        _log = logger ?? (ILogger)NullLogger.Instance;
        Time = timeProvider ?? TimeProvider.System;
        PeerId = options.PeerId ?? NewPeerId();
        Choker = new Choker(options.UploadSlots, options.OptimisticRotation);
        RateLimiter = new UploadRateLimiter(options.UploadRateLimit, Time);
        Files = new FileHandleCache(options.MaxOpenFiles);
    }

    public SeedEngineOptions Options { get; }

    /// <summary>The TCP port peers connect to (known after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    public byte[] PeerId { get; }

    public int TorrentCount => Volatile.Read(ref _torrentCount);

    public int ConnectionCount => _connections.Count;

    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    /// <summary>BEP 9 metadata pieces sent.</summary>
    public long MetadataPiecesServed => Interlocked.Read(ref _metadataPiecesServed);

    /// <summary>BEP 52 <c>hashes</c> replies sent.</summary>
    public long HashRepliesServed => Interlocked.Read(ref _hashRepliesServed);

    /// <summary>BEP 52 <c>hash reject</c> replies sent.</summary>
    public long HashRequestsRejected => Interlocked.Read(ref _hashRequestsRejected);

    /// <summary>Global upload limit in bytes per second, shared by all torrents; 0 = unlimited. Changeable live.</summary>
    public long UploadRateLimit
    {
        get => RateLimiter.BytesPerSecond;
        set => RateLimiter.BytesPerSecond = value;
    }

    internal TimeProvider Time { get; }

    internal Choker Choker { get; }

    internal UploadRateLimiter RateLimiter { get; }

    internal FileHandleCache Files { get; }

    /// <summary>How many peers were closed for breaking <paramref name="reason"/>'s rule.</summary>
    public long ViolationCount(WireProtocolErrorReason reason) => Interlocked.Read(ref _violations[(int)reason]);

    /// <summary>
    /// Starts serving <paramref name="torrent"/> under its truncated v2 hash and, for a hybrid, its v1 hash (a v1-only
    /// torrent: its v1 hash alone).
    /// </summary>
    public void Register(SeedTorrent torrent)
    {
        var key = InfoHashKey.From(torrent.SwarmHash);
        lock (_registryLock)
        {
            if (_byHash.ContainsKey(key) || (torrent.HasV2 && torrent.InfoHashV1 is { } h && _byHash.ContainsKey(InfoHashKey.From(h))))
            {
                throw new InvalidOperationException($"Torrent {torrent} is already registered.");
            }
            _byHash.Add(key, torrent);
            if (torrent.HasV2 && torrent.InfoHashV1 is { } v1) _byHash.Add(InfoHashKey.From(v1), torrent);
            _torrentCount++;
        }
        AnnounceRegistered(torrent);
    }

    /// <summary>Stops serving a torrent; its connected peers are closed.</summary>
    public bool Unregister(SeedTorrent torrent)
    {
        lock (_registryLock)
        {
            if (!_byHash.Remove(InfoHashKey.From(torrent.SwarmHash))) return false;
            if (torrent.HasV2 && torrent.InfoHashV1 is { } v1) _byHash.Remove(InfoHashKey.From(v1));
            _torrentCount--;
        }
        AnnounceUnregistered(torrent);
        foreach (var connection in _connections.Keys)
        {
            if (ReferenceEquals(connection.Torrent, torrent)) connection.Close(null);
        }
        Files.Forget(torrent.DataPath);
        return true;
    }

    internal SeedTorrent? Find(ReadOnlySpan<byte> handshakeHash)
    {
        var key = InfoHashKey.From(handshakeHash);
        lock (_registryLock)
        {
            return _byHash.GetValueOrDefault(key);
        }
    }

    /// <summary>Counts a connection against its torrent; null when the torrent's connection limit is reached.</summary>
    internal ActiveTorrent? Attach(PeerConnection connection, SeedTorrent torrent)
    {
        lock (_registryLock)
        {
            if (!_active.TryGetValue(torrent, out var active))
            {
                active = new ActiveTorrent(torrent);
                _active.Add(torrent, active);
            }
            if (active.Connections >= Options.MaxConnectionsPerTorrent) return null;
            active.Connections++;
            return active;
        }
    }

    internal void Detach(PeerConnection connection)
    {
        Choker.Remove(connection);
        _connections.TryRemove(connection, out _);
        if (connection.Torrent is not { } torrent) return;
        lock (_registryLock)
        {
            if (_active.TryGetValue(torrent, out var active) && --active.Connections <= 0) _active.Remove(torrent);
        }
        EngineLog.PeerClosed(_log, connection.Remote, torrent.ToString(), connection.UploadedTotal);
    }

    internal void CountViolation(WireProtocolErrorReason reason) => Interlocked.Increment(ref _violations[(int)reason]);

    internal void CountUpload(int bytes) => Interlocked.Add(ref _bytesUploaded, bytes);

    internal void CountMetadataPiece() => Interlocked.Increment(ref _metadataPiecesServed);

    internal void CountHashReply(bool rejected) =>
        Interlocked.Increment(ref rejected ? ref _hashRequestsRejected : ref _hashRepliesServed);

    /// <summary>Number of torrents with live connections (their metadata may be in memory).</summary>
    internal int ActiveTorrentCount { get { lock (_registryLock) return _active.Count; } }

    private static byte[] NewPeerId()
    {
        var id = new byte[Handshake.PeerIdLength];
        Encoding.ASCII.GetBytes("-NS0100-").CopyTo(id, 0);
        RandomNumberGenerator.Fill(id.AsSpan(8));
        return id;
    }
}
