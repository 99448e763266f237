using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using NarSeed.BitTorrent.Engine.Download;

namespace NarSeed.Proxy;

public sealed partial class NarFetcher
{
    /// <summary>How often the swarm's first verified piece is looked for while deciding on a source.</summary>
    private static readonly TimeSpan FirstPiecePoll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Streams the nar from the swarm when it delivers a first verified piece in time; null (nothing sent) otherwise.
    /// Peers: the magnet's x.pe plus <see cref="ProxyOptions.Peers"/> and whatever
    /// <see cref="ProxyDiscovery"/> finds; web seeds: the magnet's ws= after
    /// <see cref="ProxyOptions.WebSeedDelay"/>.
    /// </summary>
    private async Task<FetchRecord?> TrySwarmAsync(HttpContext context, ProxiedNar nar, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_options.State, "partial", nar.HashPart + "-" + Guid.NewGuid().ToString("N")[..8]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var announcement = await AnnounceForSeedingAsync(nar).ConfigureAwait(false);
        var download = new TorrentDownload(nar.Magnet!, new DownloadOptions
        {
            OutputDirectory = directory,
            Peers = _peers,
            // Trackers (tr= and --tracker), LSD and PEX find peers a magnet without x.pe does not name.
            Discovery = _discovery.Peers,
            // With seed-after-fetch the proxy registers the nar itself, for the fetch and the seeding after it.
            AnnounceToDiscovery = announcement is null,
            PeerId = _discovery.PeerId,
            ListenPort = _discovery.ListenPort,
            Streaming = true,
            WebSeedDelay = _options.WebSeedDelay,
            StallTimeout = SwarmStallTimeout,
            HandshakeTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            RedialInterval = TimeSpan.FromMilliseconds(500),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        }, _logger);
        announcement?.Track(download);
        var run = download.RunAsync(stop.Token);
        try
        {
            if (await WaitForFirstPieceAsync(download, run, nar, cancellationToken).ConfigureAwait(false) is { } reason)
            {
                ProxyLog.SwarmFallback(_logger, nar.HashPart, reason);
                return null;
            }
            var length = download.Torrent!.Length;
            Start(context, length);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long sent = 0;
            try
            {
                await using var verified = download.OpenStream();
                sent = await CopyAsync(verified, context, Stream.Null, hash, cancellationToken).ConfigureAwait(false);
                var result = await run.ConfigureAwait(false);
                var record = new FetchRecord(nar.HashPart, FetchSource.Swarm, sent, download.BytesFromPeers,
                    download.BytesFromWebSeeds, 0, 0, download.BannedPeers.Count, 0);
                if (MatchesFileHash(nar, hash.GetHashAndReset()) && _cache.Add(result.Path, nar.NarFileName) is { } cachedPath)
                {
                    // The seeder announces completed once it serves the torrent, and stopped when seeding ends.
                    _seeder.SeedFor(nar, download.Torrent!, cachedPath, announcement);
                    announcement = null;
                }
                else
                {
                    announcement?.Completed(result.Bytes); // not seeded: completed, then stopped below
                }
                return record;
            }
            catch (Exception e) when (e is DownloadException or IOException or OperationCanceledException)
            {
                // Bytes are out: all that is left is to break the connection so Nix sees a truncated transfer.
                ProxyLog.FetchBroken(_logger, nar.HashPart, sent, e.Message);
                context.Abort();
                return new FetchRecord(nar.HashPart, FetchSource.Failed, sent, download.BytesFromPeers,
                    download.BytesFromWebSeeds, 0, 0, download.BannedPeers.Count, 0);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            announcement?.Stop();
            await download.DisposeAsync().ConfigureAwait(false);
            TryDeleteDirectory(directory);
        }
    }

    /// <summary>
    /// With seed-after-fetch on: starts the seeder's engine (its port is the one announced) and registers the nar with
    /// trackers and LSD for the fetch and the seeding after it. Null when seeding is off or cannot start, or the nar
    /// is registered already; the download then announces itself as usual.
    /// </summary>
    private async Task<FetchAnnouncement?> AnnounceForSeedingAsync(ProxiedNar nar)
    {
        if (!_seeder.Enabled) return null;
        try
        {
            await _seeder.StartAsync(_discovery.Peers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ObjectDisposedException)
        {
            ProxyLog.SeedingFailed(_logger, nar.HashPart, e.Message);
            return null;
        }
        return FetchAnnouncement.TryStart(_discovery.Peers, nar.Magnet!);
    }

    /// <summary>Null when the first verified piece is in hand; otherwise why the swarm is given up.</summary>
    private async Task<string?> WaitForFirstPieceAsync(TorrentDownload download, Task<DownloadResult> run, ProxiedNar nar,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (download.ContiguousVerifiedBytes == 0 && !run.IsCompletedSuccessfully)
        {
            if (run.IsFaulted) return run.Exception!.GetBaseException().Message;
            if (Stopwatch.GetElapsedTime(started) > _options.SwarmDeadline)
            {
                return $"no verified piece within {_options.SwarmDeadline.TotalSeconds:0.#} s";
            }
            await Task.WhenAny(run, Task.Delay(FirstPiecePoll, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        if (nar.FileSize is { } size && download.Torrent!.Length != size)
        {
            return $"the torrent has {download.Torrent.Length} bytes, the narinfo's FileSize {size}";
        }
        return null;
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
