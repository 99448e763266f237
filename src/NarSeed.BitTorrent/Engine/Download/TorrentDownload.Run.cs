using System.Net;
using NarSeed.BitTorrent.Discovery;

namespace NarSeed.BitTorrent.Engine.Download;

public sealed partial class TorrentDownload
{
    private Task? _run;

    /// <summary>
    /// Runs the download to the end: dials peers (given, from the magnet, from discovery), fetches metadata and hashes
    /// if needed, uses web seeds by the policy of <see cref="DownloadOptions.WebSeedDelay"/>, and renames the part file
    /// when every piece is verified. Cancelling keeps the part file and its resume state.
    /// </summary>
    public Task<DownloadResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (_run is not null) throw new InvalidOperationException("The download is already running.");
        var task = RunCoreAsync(cancellationToken);
        _run = task;
        return task;
    }

    private async Task<DownloadResult> RunCoreAsync(CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var background = new List<Task>();
        try
        {
            if (_torrent is { HasPieceHashes: true } && Interlocked.Exchange(ref _preparing, 1) == 0)
            {
                await Task.Run(Prepare, CancellationToken.None).ConfigureAwait(false);
            }
            using var heartbeat = Time.CreateTimer(_ => OnHeartbeat(), null, Options.HeartbeatInterval, Options.HeartbeatInterval);
            background.Add(DialLoopAsync(token));
            if (Options.Discovery is { } discovery)
            {
                StartAnnouncing(discovery);
                background.Add(WatchDiscoveryAsync(discovery, token));
                background.Add(AnnounceCompletionAsync(discovery, token));
            }
            background.Add(StartWebSeedsAsync(token));
            await _complete.Task.WaitAsync(token).ConfigureAwait(false);
            var torrent = _torrent!;
            _store!.Finish();
            DownloadLog.Completed(Log, torrent.Name, _store.FinalPath);
            return new DownloadResult(_store.FinalPath, torrent.Length, Time.GetElapsedTime(started).TotalSeconds,
                BytesFromPeers, BytesFromWebSeeds, BytesAlreadyOnDisk, _banned.Count, WebSeedsDropped);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            StopAnnouncing();
            foreach (var peer in _peers.Keys) peer.Close();
            await Task.WhenAll(_peers.Values.Concat(background)).ContinueWith(_ => { }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            if (!_complete.Task.IsCompletedSuccessfully && _store is not null && Picker is { } picker)
            {
                try
                {
                    _store.SaveResume(picker.Snapshot());
                }
                catch (IOException)
                {
                }
            }
            _store?.Dispose();
        }
    }

    /// <summary>Dials known peers that are not connected, not banned and not over their attempts, every redial interval.</summary>
    private async Task DialLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested && !_complete.Task.IsCompleted)
        {
            var now = Time.GetTimestamp();
            foreach (var (endPoint, known) in _known)
            {
                if (_peers.Count >= Options.MaxPeers) break;
                if (known.Connected || _banned.ContainsKey(endPoint)) continue;
                if (!known.Delivered && known.Attempts >= DownloadOptions.MaxDialAttempts) continue;
                if (known.Attempts > 0 && Time.GetElapsedTime(known.LastAttempt, now) < Options.RedialInterval) continue;
                known.Attempts++;
                known.LastAttempt = now;
                known.Connected = true;
                var peer = new DownloadPeer(this, endPoint);
                _peers[peer] = RunPeerAsync(peer, known, token);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), Time, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunPeerAsync(DownloadPeer peer, KnownPeer known, CancellationToken token)
    {
        await Task.Yield();
        try
        {
            await peer.RunAsync(token).ConfigureAwait(false);
        }
        finally
        {
            if (peer.DeliveredPieces > 0) known.Delivered = true;
            known.Connected = false;
            known.LastAttempt = Time.GetTimestamp();
            _peers.TryRemove(peer, out _);
        }
    }

    private async Task WatchDiscoveryAsync(IPeerSource discovery, CancellationToken token)
    {
        try
        {
            await foreach (var found in discovery.WatchAsync(HandshakeHash, token).ConfigureAwait(false))
            {
                AddDiscoveredPeer(found.EndPoint);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Starts the web-seed workers once the torrent is ready (web seeds need the file's geometry).</summary>
    private async Task StartWebSeedsAsync(CancellationToken token)
    {
        await _ready.Task.WaitAsync(token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_ready.Task.IsCompletedSuccessfully || _complete.Task.IsCompleted || token.IsCancellationRequested) return;
        string[] urls;
        lock (_webSeeds) urls = _webSeeds.Concat(_torrent!.WebSeeds).Distinct(StringComparer.Ordinal).ToArray();
        if (urls.Length == 0) return;
        using var client = new WebSeeds.WebSeedClient(Options.WebSeed, Time);
        var workers = new List<Task>();
        foreach (var url in urls)
        {
            var seed = new WebSeedWorker(this, client, url);
            for (var i = 0; i < Options.WebSeed.ConnectionsPerSeed; i++) workers.Add(seed.RunAsync(token));
        }
        await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Shared heartbeat: peer deadlines and keep-alives, and the stall timeout.</summary>
    private void OnHeartbeat()
    {
        var now = Time.GetTimestamp();
        foreach (var peer in _peers.Keys) peer.OnHeartbeat(now);
        OfferPex();
        var bytes = BytesFromPeers;
        if (_peerRateAt != 0)
        {
            var seconds = Time.GetElapsedTime(_peerRateAt, now).TotalSeconds;
            if (seconds > 0) Volatile.Write(ref _peerRate, 0.5 * _peerRate + 0.5 * (bytes - _peerRateBytes) / seconds);
        }
        (_peerRateBytes, _peerRateAt) = (bytes, now);
        if (Time.GetElapsedTime(Volatile.Read(ref _lastProgress), now) > Options.StallTimeout)
        {
            Fail(new DownloadException(DownloadErrorReason.Stalled,
                $"No verified progress for {Options.StallTimeout.TotalSeconds:F0} s (peers connected: {_peers.Count})."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is not null) await _run.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
