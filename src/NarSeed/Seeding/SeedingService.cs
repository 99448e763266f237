using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.Hosting;

namespace NarSeed.Seeding;

/// <summary>
/// Seeds every ready nar of the catalog with one <see cref="SeedEngine"/> on the BitTorrent port, and is the node's
/// index of what it serves: the HTTP endpoints look nars up here (by hash part or nar URL) without touching SQLite.
/// The GC stops and resumes seeding through <see cref="INarSeedingControl"/>; a periodic reconcile catches changes
/// made by another process (<c>narseed gc</c>) and flushes the usage counters into the catalog.
/// </summary>
public sealed class SeedingService(
    NarCatalog catalog,
    NarStore store,
    NarUsageCounters usage,
    IOptions<NodeOptions> options,
    ILogger<SeedingService> logger,
    ILoggerFactory loggerFactory,
    TimeProvider time) : BackgroundService, INarSeedingControl
{
    /// <summary>How often the registry is compared with the catalog's ready nars and counters are flushed.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, SeededNar> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SeededNar> _byUrl = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _registryLock = new(1, 1);
    private SeedEngine? _engine;
    private PeerDiscovery? _discovery;

    /// <summary>The engine (null until started).</summary>
    public SeedEngine? Engine => _engine;

    /// <summary>Trackers, LSD and PEX for every seeded nar (null until started).</summary>
    public PeerDiscovery? Discovery => _discovery;

    public int Count => _byHash.Count;

    public IReadOnlyCollection<SeededNar> Seeded => _byHash.Values.ToList();

    public bool TryGetByHash(string hashPart, out SeededNar nar) => _byHash.TryGetValue(hashPart, out nar!);

    public bool TryGetByUrl(string url, out SeededNar nar) => _byUrl.TryGetValue(url, out nar!);

    /// <summary>Raised after a nar is registered or removed, so caches of derived documents can drop it.</summary>
    public event Action<string>? Changed;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var bt = options.Value.BitTorrent;
        _engine = new SeedEngine(new SeedEngineOptions
        {
            Port = bt.Port,
            UploadRateLimit = bt.UploadLimit ?? 0,
        }, loggerFactory.CreateLogger<SeedEngine>(), time);
        var engine = _engine;
        // Attached before any nar is registered, so every one is announced (v2: truncated hash; hybrid: both). The
        // nar torrents' announce-list holds the same trackers; they are given here once, for every torrent.
        _discovery = new PeerDiscovery(new DiscoveryOptions
        {
            EnableTrackers = bt.Trackers.Count > 0,
            EnableLsd = bt.Lsd,
            EnablePex = bt.Pex,
            Trackers = bt.Trackers.Select(t => new Uri(t, UriKind.Absolute)).ToList(),
        }, engine.PeerId, () => engine.Port, loggerFactory.CreateLogger<PeerDiscovery>(), time);
        engine.Discovery = _discovery;
        await _engine.StartAsync(cancellationToken);
        try
        {
            await _discovery.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            // Seeding goes on without it: peers still come from magnets' x.pe and web seeds stay reachable.
            Log.DiscoveryFailed(logger, e);
        }
        await ReconcileAsync(cancellationToken);
        Log.SeedingStarted(logger, _engine.Port, _byHash.Count);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await usage.FlushAsync(catalog, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ReconcileFailed(logger, e);
        }
        if (_discovery is not null)
        {
            // Stopped events go out within the scheduler's stop deadline; LSD leaves its groups.
            await _discovery.DisposeAsync();
        }
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReconcileInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await usage.FlushAsync(catalog, stoppingToken);
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ReconcileFailed(logger, e);
            }
        }
    }

    /// <summary>Starts seeding a nar the mirror has just recorded as ready (with its torrent).</summary>
    public async Task SeedAsync(NarFileRecord nar, TorrentRecord torrent, CancellationToken cancellationToken)
    {
        await _registryLock.WaitAsync(cancellationToken);
        try
        {
            await RegisterLockedAsync(nar, torrent, cancellationToken);
        }
        finally
        {
            _registryLock.Release();
        }
    }

    /// <summary>Registers every ready nar not yet seeded and drops every seeded one that is no longer ready.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var ready = await catalog.ListNarsAsync(NarState.Ready, cancellationToken);
        await _registryLock.WaitAsync(cancellationToken);
        try
        {
            var readyIds = new HashSet<long>(ready.Select(n => n.Id));
            foreach (var seeded in _byHash.Values.Where(s => !readyIds.Contains(s.NarId)).ToList())
            {
                UnregisterLocked(seeded);
            }
            foreach (var nar in ready)
            {
                if (_byHash.TryGetValue(nar.HashPart, out var seeded) && seeded.NarId == nar.Id &&
                    seeded.Nar.LocalPath == nar.LocalPath)
                {
                    continue;
                }
                var torrent = await catalog.FindTorrentAsync(nar.Id, cancellationToken);
                if (torrent is null)
                {
                    // Recorded ready but the torrent row is not written yet (the mirror writes it next, or does it
                    // on its next pass after a crash between the two).
                    continue;
                }
                try
                {
                    await RegisterLockedAsync(nar, torrent, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.RegisterFailed(logger, nar.LocalPath, e);
                }
            }
        }
        finally
        {
            _registryLock.Release();
        }
    }

    public async Task StopSeedingAsync(IReadOnlyList<CatalogNar> nars, CancellationToken cancellationToken)
    {
        await _registryLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var nar in nars)
            {
                if (_byHash.TryGetValue(nar.HashPart, out var seeded))
                {
                    UnregisterLocked(seeded);
                }
            }
        }
        finally
        {
            _registryLock.Release();
        }
        Log.SeedingStopped(logger, nars.Count);
    }

    public async Task ResumeSeedingAsync(IReadOnlyList<CatalogNar> nars, CancellationToken cancellationToken)
    {
        await _registryLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var entry in nars)
            {
                var nar = await catalog.FindNarAsync(entry.HashPart, cancellationToken);
                var torrent = nar is null ? null : await catalog.FindTorrentAsync(nar.Id, cancellationToken);
                if (nar is { State: NarState.Ready } && torrent is not null)
                {
                    await RegisterLockedAsync(nar, torrent, cancellationToken);
                }
            }
        }
        finally
        {
            _registryLock.Release();
        }
    }

    private async Task RegisterLockedAsync(NarFileRecord nar, TorrentRecord torrent, CancellationToken cancellationToken)
    {
        var engine = _engine ?? throw new InvalidOperationException("The seeding service has not started.");
        if (_byHash.TryGetValue(nar.HashPart, out var previous))
        {
            UnregisterLocked(previous);
        }
        var path = store.GetPath(nar.LocalPath);
        if (!File.Exists(path))
        {
            Log.NarFileMissing(logger, nar.LocalPath);
            return;
        }
        var trackers = options.Value.BitTorrent.Trackers;
        SeedTorrent seedTorrent;
        if (torrent.InfoHashV1 is null)
        {
            var info = await NarTorrents.RestoreAsync(nar, torrent, path, trackers, cancellationToken);
            seedTorrent = new SeedTorrent(torrent.InfoHashV2.ToArray(), null, nar.FileSize, torrent.PieceLength,
                torrent.PiecesRoot.ToArray(), info.RawInfo.Length, path,
                new CatalogSeedMetadata(nar, torrent, path, trackers));
        }
        else
        {
            // Hybrid: the v1 piece hashes are not catalogued, so the info dictionary is kept in memory.
            seedTorrent = SeedTorrent.FromTorrentInfo(
                await NarTorrents.RestoreAsync(nar, torrent, path, trackers, cancellationToken), path);
        }
        engine.Register(seedTorrent);
        var seeded = new SeededNar(nar, torrent, seedTorrent, path);
        _byHash[nar.HashPart] = seeded;
        _byUrl[nar.Url] = seeded;
        Changed?.Invoke(nar.HashPart);
    }

    private void UnregisterLocked(SeededNar seeded)
    {
        _engine?.Unregister(seeded.SeedTorrent);
        _byHash.TryRemove(new KeyValuePair<string, SeededNar>(seeded.HashPart, seeded));
        _byUrl.TryRemove(new KeyValuePair<string, SeededNar>(seeded.Nar.Url, seeded));
        Changed?.Invoke(seeded.HashPart);
    }

    /// <summary>The endpoint peers are told about (magnet x.pe): the configured public address, else the HTTP host.</summary>
    public static IPEndPoint? AdvertisedEndpoint(NodeOptions options, int port)
    {
        var address = options.BitTorrent.PublicAddress;
        if (!string.IsNullOrEmpty(address))
        {
            return IPEndPoint.TryParse(address, out var configured)
                ? configured.Port == 0 ? new IPEndPoint(configured.Address, port) : configured
                : null;
        }
        if (!HttpEndpoint.TryParse(options.Http, out var http))
        {
            return null;
        }
        var host = http.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : http.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : http.Address;
        return new IPEndPoint(host, port);
    }
}
