using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Downloads one single-file v2, hybrid or v1-only torrent from peers and BEP 19 web seeds, starting from a .torrent or
/// a magnet. Metadata and the piece layer are fetched from peers and verified (against the info-hash and the pieces
/// root; a v1-only torrent has no piece layer); every piece is verified (v2 Merkle, or SHA-1 against <c>pieces</c>)
/// before it is written; a source that sends bad data is banned or dropped. One task
/// per connected peer and per web-seed connection, one heartbeat for all of them.
/// </summary>
public sealed partial class TorrentDownload : IAsyncDisposable
{
    private readonly ConcurrentDictionary<DownloadPeer, Task> _peers = new();
    private readonly ConcurrentDictionary<IPEndPoint, KnownPeer> _known = new();
    private readonly ConcurrentDictionary<IPEndPoint, bool> _banned = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReadOnlyMemory<byte>? _infoHashV1;
    private readonly ReadOnlyMemory<byte>? _infoHashV2;
    private readonly List<string> _webSeeds = [];
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TorrentInfo? _torrent;
    private PieceStore? _store;
    private long _bytesFromPeers;
    private long _bytesFromWebSeeds;
    private long _bytesReceived;
    private long _lastProgress;
    private long _lastPeerPiece;
    private long _lastResumeSave;
    private int _webSeedsDropped;
    private int _preparing;

    public TorrentDownload(TorrentInfo torrent, DownloadOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, torrent.InfoHashV1, torrent.HasV2 ? torrent.InfoHashV2 : (ReadOnlyMemory<byte>?)null)
    {
        _torrent = torrent;
        _webSeeds.AddRange(torrent.WebSeeds);
        if (NeedsPieceLayer(torrent)) Layer = new PieceLayerAssembler(torrent);
    }

    public TorrentDownload(MagnetLink magnet, DownloadOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, magnet.InfoHashV1, magnet.InfoHashV2)
    {
        Metadata = new MetadataAssembler(magnet.InfoHashV1, magnet.InfoHashV2);
        RememberMagnet(magnet);
        _webSeeds.AddRange(magnet.WebSeeds);
        foreach (var peer in magnet.Peers.OfType<IPEndPoint>()) AddPeer(peer);
    }

    private TorrentDownload(DownloadOptions options, ILogger? logger, TimeProvider? timeProvider,
        ReadOnlyMemory<byte>? v1, ReadOnlyMemory<byte>? v2)
    {
        options.Validate();
        Options = options;
        Log = logger ?? NullLogger.Instance;
        Time = timeProvider ?? TimeProvider.System;
        _infoHashV1 = v1;
        _infoHashV2 = v2;
        HandshakeHash = (v2 is { } h2 ? h2[..Handshake.HashLength] : v1 ?? throw new ArgumentException("No info-hash.")).ToArray();
        PeerId = options.PeerId ?? NewPeerId();
        _webSeeds.AddRange(options.WebSeeds);
        foreach (var peer in options.Peers) AddPeer(peer);
        _lastProgress = _lastPeerPiece = Time.GetTimestamp();
    }

    public DownloadOptions Options { get; }

    /// <summary>The torrent, once its metadata is known and verified.</summary>
    public TorrentInfo? Torrent => _torrent;

    /// <summary>Completes when the metadata and the piece layer are verified and the part file is open.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Verified payload bytes that came from peers.</summary>
    public long BytesFromPeers => Interlocked.Read(ref _bytesFromPeers);

    /// <summary>Verified payload bytes that came from web seeds.</summary>
    public long BytesFromWebSeeds => Interlocked.Read(ref _bytesFromWebSeeds);

    /// <summary>All payload bytes received from any source, verified or not (duplicates and bad data included).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Bytes found verified on disk at start (resume).</summary>
    public long BytesAlreadyOnDisk => _store?.BytesAlreadyOnDisk ?? 0;

    /// <summary>Verified bytes in order from the start of the file (what a streaming reader may read).</summary>
    public long ContiguousVerifiedBytes => Picker is { } p && _torrent is { } t
        ? Math.Min(t.Length, (long)p.FirstMissing * t.PieceLength) : 0;

    /// <summary>Pieces verified so far.</summary>
    public int PiecesVerified => Picker is { } p ? p.PieceCount - p.Remaining : 0;

    public int ConnectedPeers => _peers.Count;

    public IReadOnlyCollection<IPEndPoint> BannedPeers => _banned.Keys.ToArray();

    public int WebSeedsDropped => Volatile.Read(ref _webSeedsDropped);

    internal ILogger Log { get; }

    internal TimeProvider Time { get; }

    internal byte[] HandshakeHash { get; }

    internal byte[] PeerId { get; }

    internal MetadataAssembler? Metadata { get; }

    internal PieceLayerAssembler? Layer { get; private set; }

    internal PiecePicker? Picker { get; private set; }

    internal bool IsReady => _ready.Task.IsCompleted;

    internal string? PartPath => _store?.PartPath;

    internal string? FinalPath => _store?.FinalPath;

    internal bool IsComplete => _complete.Task.IsCompletedSuccessfully;

    /// <summary>Adds a peer to dial (from the user, a magnet, or discovery); banned and known peers are ignored.</summary>
    public void AddPeer(IPEndPoint peer)
    {
        if (peer.Address.IsIPv4MappedToIPv6) peer = new IPEndPoint(peer.Address.MapToIPv4(), peer.Port);
        if (_banned.ContainsKey(peer) || _self.ContainsKey(peer)) return;
        _known.TryAdd(peer, new KnownPeer());
    }

    /// <summary>A stream of the file's verified bytes in order; reads wait for pieces to arrive.</summary>
    public Stream OpenStream() => new VerifiedStream(this);

    /// <summary>A task that completes at the next verified piece (or failure) — what a streaming reader waits on.</summary>
    internal Task WaitForProgressAsync() => Volatile.Read(ref _progress).Task;

    internal Task Completion => _complete.Task;

    internal int ReadVerified(long offset, Span<byte> destination) => _store!.Read(offset, destination);

    /// <summary>Metadata from peers is complete and matches the info-hash: parse it and go on.</summary>
    internal void OnMetadata(byte[] info)
    {
        if (_torrent is not null) return;
        TorrentInfo torrent;
        try
        {
            torrent = TorrentReader.Read(SyntheticTorrent(info, default, default));
        }
        catch (MetainfoException e)
        {
            Fail(new DownloadException(e.Reason == MetainfoErrorReason.NotSingleFile ? DownloadErrorReason.Unsupported
                : DownloadErrorReason.InvalidMetadata, $"The metadata cannot be used: {e.Message}", e));
            return;
        }
        lock (_webSeeds) _torrent = torrent.WithSources(_webSeeds.ToArray(), torrent.Trackers);
        DownloadLog.MetadataVerified(Log, torrent.Name, info.Length);
        MarkProgress();
        if (!NeedsPieceLayer(torrent)) StartPrepare();
        else Layer = new PieceLayerAssembler(torrent);
        WakePeers();
    }

    /// <summary>
    /// True when pieces can only be verified after fetching the v2 piece layer with hash requests. Not for v1-only
    /// torrents (SHA-1 <c>pieces</c>), nor for a hybrid reached through its v1 hash (a btih magnet): those connections
    /// are v1, where a hash request is a protocol violation, so its pieces are checked against <c>pieces</c>.
    /// </summary>
    private bool NeedsPieceLayer(TorrentInfo torrent) =>
        !torrent.HasPieceHashes && !(torrent.HasV1 && _infoHashV2 is null);

    /// <summary>The last piece-layer bucket is verified: the torrent is complete.</summary>
    internal void OnPieceLayer()
    {
        var torrent = _torrent!;
        if (Volatile.Read(ref _preparing) != 0 || Layer is not { IsComplete: true } layer) return;
        lock (_ready)
        {
            if (Volatile.Read(ref _preparing) != 0) return;
            var full = TorrentReader.Read(SyntheticTorrent(torrent.RawInfo, torrent.PiecesRoot, layer.Layer));
            _torrent = full.WithSources(torrent.WebSeeds, torrent.Trackers);
            DownloadLog.PieceLayerVerified(Log, torrent.Name, torrent.PieceCount);
            MarkProgress();
            StartPrepare();
        }
    }

    /// <summary>Starts <see cref="Prepare"/> once, on a worker thread (checking a file on disk must not hold up a peer).</summary>
    private void StartPrepare()
    {
        if (Interlocked.Exchange(ref _preparing, 1) == 0) _ = Task.Run(Prepare);
    }

    /// <summary>
    /// Opens the part file after checking what is already on disk (the pieces the resume state claims, a part file
    /// without one, or a final file from an earlier run), and lets the sources start.
    /// </summary>
    private void Prepare()
    {
        var torrent = _torrent!;
        var store = new PieceStore(torrent, Options.OutputDirectory);
        bool[] have;
        try
        {
            have = store.Open(_stopping.Token);
        }
        catch (Exception e) when (e is DownloadException or OperationCanceledException or ObjectDisposedException)
        {
            store.Dispose();
            if (e is DownloadException) Fail(e);
            return;
        }
        if (_stopping.IsCancellationRequested)
        {
            store.Dispose();
            return;
        }
        _store = store;
        Picker = new PiecePicker(have, Options.Streaming);
        for (var piece = 0; piece < have.Length; piece++) if (have[piece]) RecordVerified(piece);
        if (store.BytesAlreadyOnDisk > 0) DownloadLog.Resumed(Log, torrent.Name, have.Count(h => h), have.Length);
        _ready.TrySetResult();
        if (Picker.Remaining == 0) _complete.TrySetResult();
        MarkProgress();
        WakePeers();
    }

    /// <summary>
    /// Verifies a whole piece from one source and, if good, writes it and counts it. Returns the verdict; on
    /// <see cref="PieceVerdict.Bad"/> the caller bans its source.
    /// </summary>
    internal PieceVerdict CommitPiece(int piece, ReadOnlySpan<byte> data, bool fromWebSeed)
    {
        var torrent = _torrent!;
        var picker = Picker!;
        if (!PieceVerifier.Verify(torrent, piece, data))
        {
            picker.Release(piece);
            return PieceVerdict.Bad;
        }
        if (picker.Has(piece))
        {
            picker.Release(piece);
            return PieceVerdict.Duplicate;
        }
        _store!.Write(piece, data);
        if (!picker.Complete(piece)) return PieceVerdict.Duplicate;
        RecordVerified(piece);
        Interlocked.Add(ref fromWebSeed ? ref _bytesFromWebSeeds : ref _bytesFromPeers, data.Length);
        var now = Time.GetTimestamp();
        if (!fromWebSeed) Volatile.Write(ref _lastPeerPiece, now);
        if (picker.Remaining == 0)
        {
            _complete.TrySetResult();
        }
        else if (Time.GetElapsedTime(Volatile.Read(ref _lastResumeSave), now) > DownloadOptions.ResumeSaveInterval)
        {
            Volatile.Write(ref _lastResumeSave, now);
            _store.SaveResume(picker.Snapshot());
        }
        MarkProgress();
        WakePeers();
        return PieceVerdict.Verified;
    }

    internal void CountReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    internal void Ban(IPEndPoint peer, string detail)
    {
        _banned[peer] = true;
        DownloadLog.PeerBanned(Log, peer, detail);
    }

    internal void OnWebSeedDropped(string url, string detail)
    {
        Interlocked.Increment(ref _webSeedsDropped);
        DownloadLog.WebSeedDropped(Log, url, detail);
    }

    /// <summary>True when peers can come from somewhere (given, from the magnet, or discovery).</summary>
    internal bool HasPeerSources => !_known.IsEmpty || Options.Discovery is not null;

    /// <summary>Verified bytes per second from peers, smoothed over the last heartbeats.</summary>
    internal double PeerBytesPerSecond => Volatile.Read(ref _peerRate);

    private double _peerRate;
    private long _peerRateBytes;
    private long _peerRateAt;

    /// <summary>Seconds since a peer last delivered a verified piece.</summary>
    internal TimeSpan SinceLastPeerPiece => Time.GetElapsedTime(Volatile.Read(ref _lastPeerPiece));

    private void MarkProgress()
    {
        Volatile.Write(ref _lastProgress, Time.GetTimestamp());
        Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void Fail(Exception e)
    {
        _ready.TrySetException(e);
        _complete.TrySetException(e);
        _ = _ready.Task.Exception;
        Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void WakePeers()
    {
        foreach (var peer in _peers.Keys) peer.Wake();
    }

    /// <summary>A .torrent around verified info bytes (and a piece layer), so the one reader validates everything.</summary>
    private static byte[] SyntheticTorrent(ReadOnlyMemory<byte> info, ReadOnlyMemory<byte> root, ReadOnlyMemory<byte> layer) =>
        Bencoding.BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary();
            w.WriteKey("info");
            w.WriteEncodedValue(info.Span);
            if (!layer.IsEmpty)
            {
                w.WriteKey("piece layers");
                w.WriteStartDictionary();
                w.WriteKey(root.Span);
                w.WriteString(layer.Span);
                w.WriteEndDictionary();
            }
            w.WriteEndDictionary();
        });

    private static byte[] NewPeerId()
    {
        var id = new byte[Handshake.PeerIdLength];
        Encoding.ASCII.GetBytes("-NS0100-").CopyTo(id, 0);
        RandomNumberGenerator.Fill(id.AsSpan(8));
        return id;
    }

    private sealed class KnownPeer
    {
        public int Attempts;
        public long LastAttempt;
        public bool Connected;
        public bool Delivered;
    }
}
