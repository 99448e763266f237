using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.Proxy;

/// <summary>
/// Seeds nars fetched from the swarm for <see cref="ProxyOptions.SeedAfterFetch"/> (off when zero) with one
/// <see cref="SeedEngine"/> started on first use; each file stays pinned in the cache while it is seeded. A nar's
/// <see cref="FetchAnnouncement"/> (trackers, LSD) is handed over with it and stopped when its seeding ends; at
/// shutdown <see cref="ProxyDiscovery"/> sends the stopped events within the scheduler's deadline.
/// </summary>
public sealed class FetchedNarSeeder : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly FetchedNarCache _cache;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly Dictionary<string, (SeedTorrent Torrent, ITimer Timer, FetchAnnouncement? Announcement)> _seeding = new(StringComparer.Ordinal);
    private SeedEngine? _engine;

    public FetchedNarSeeder(IOptions<ProxyOptions> options, FetchedNarCache cache, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Value;
        _cache = cache;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<FetchedNarSeeder>();
    }

    /// <summary>The engine's port once seeding has started, else null.</summary>
    public int? Port => _engine?.Port;

    /// <summary>How many fetched nars are seeded right now.</summary>
    public int Count
    {
        get
        {
            lock (_seeding) return _seeding.Count;
        }
    }

    public long BytesUploaded => _engine?.BytesUploaded ?? 0;

    /// <summary>True when fetched nars are seeded (<see cref="ProxyOptions.SeedAfterFetch"/> is positive).</summary>
    public bool Enabled => _options.SeedAfterFetch > TimeSpan.Zero;

    /// <summary>
    /// Starts the engine before a fetch, so the port announced for the nar from its first announce on is the one it
    /// will be seeded on. <paramref name="discovery"/> gets the ut_pex peers of seeding connections.
    /// </summary>
    public async Task StartAsync(IPeerSource discovery) => await EngineAsync(discovery).ConfigureAwait(false);

    /// <summary>
    /// Starts seeding a fetched nar (no-op when seed-after-fetch is off); runs in the background. Takes over
    /// <paramref name="announcement"/>: it is stopped when seeding ends or cannot start.
    /// </summary>
    public void SeedFor(ProxiedNar nar, TorrentInfo torrent, string path, FetchAnnouncement? announcement = null)
    {
        if (!Enabled)
        {
            announcement?.Stop();
            return;
        }
        _ = SeedOrLogAsync(nar.NarFileName, nar.HashPart, torrent, path, announcement);
    }

    private async Task SeedOrLogAsync(string name, string hashPart, TorrentInfo torrent, string path, FetchAnnouncement? announcement)
    {
        try
        {
            await SeedAsync(name, hashPart, torrent, path, announcement).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException
                                      or InvalidOperationException or ArgumentException)
        {
            // Seeding is a courtesy: Nix already has its nar, so a failure here is only logged.
            announcement?.Stop();
            ProxyLog.SeedingFailed(_logger, hashPart, e.Message);
        }
    }

    private async Task SeedAsync(string name, string hashPart, TorrentInfo torrent, string path, FetchAnnouncement? announcement)
    {
        var engine = await EngineAsync(null).ConfigureAwait(false);
        lock (_seeding)
        {
            if (_seeding.TryGetValue(name, out var running))
            {
                running.Timer.Change(_options.SeedAfterFetch, Timeout.InfiniteTimeSpan);
                // The running registration goes on announcing; a second one for the same hash cannot exist.
                if (!ReferenceEquals(announcement, running.Announcement)) announcement?.Stop();
                return;
            }
            var seed = SeedTorrent.FromTorrentInfo(torrent, path);
            engine.Register(seed);
            _cache.Pin(name);
            var timer = _time.CreateTimer(_ => Stop(name), null, _options.SeedAfterFetch, Timeout.InfiniteTimeSpan);
            _seeding[name] = (seed, timer, announcement);
        }
        // Served from now on: trackers learn we have every byte (event=completed, left=0).
        announcement?.Completed(torrent.Length);
        ProxyLog.SeedingFetched(_logger, hashPart, _options.SeedAfterFetch, engine.Port, announcement is not null);
    }

    private void Stop(string name)
    {
        (SeedTorrent Torrent, ITimer Timer, FetchAnnouncement? Announcement) entry;
        lock (_seeding)
        {
            if (!_seeding.Remove(name, out entry)) return;
            entry.Timer.Dispose();
            _engine?.Unregister(entry.Torrent);
        }
        entry.Announcement?.Stop();
        _cache.Unpin(name);
    }

    private async Task<SeedEngine> EngineAsync(IPeerSource? discovery)
    {
        await _starting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_engine is not null) return _engine;
            HttpEndpointAddress(out var address);
            var engine = new SeedEngine(new SeedEngineOptions { Port = _options.BtPort, ListenAddresses = [address] },
                _loggers.CreateLogger<SeedEngine>(), _time);
            // PEX only: the nars are registered with trackers and LSD by their FetchAnnouncement, not by the engine.
            if (discovery is { PexEnabled: true }) engine.Discovery = new PexOnlyPeerSource(discovery);
            await engine.StartAsync().ConfigureAwait(false);
            return _engine = engine;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Seeds on the address the proxy listens on (loopback by default: a volunteer opens it on purpose).</summary>
    private void HttpEndpointAddress(out IPAddress address) =>
        address = Hosting.HttpEndpoint.TryParse(_options.Listen, out var endpoint) ? endpoint.Address : IPAddress.Loopback;

    public async ValueTask DisposeAsync()
    {
        lock (_seeding)
        {
            foreach (var (_, entry) in _seeding) entry.Timer.Dispose();
            _seeding.Clear();
        }
        if (_engine is not null) await _engine.DisposeAsync().ConfigureAwait(false);
        _starting.Dispose();
    }
}
