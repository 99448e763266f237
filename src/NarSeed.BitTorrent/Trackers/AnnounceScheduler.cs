using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// Announces many torrents to their trackers from one loop: one queue entry per (info-hash, tier) ordered by due
/// time, a per-tracker rate limit that hands out send slots (which spreads a burst of new torrents over time), a
/// global cap on requests in flight, exponential back-off with tracker rotation inside a tier (BEP 12) on failure,
/// and stopped events for every started announce on shutdown, bounded by a deadline.
/// </summary>
public sealed partial class AnnounceScheduler : IAsyncDisposable
{
    private readonly AnnounceSchedulerOptions _options;
    private readonly Func<Uri, ITrackerClient> _clientFactory;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly PriorityQueue<(Entry Entry, int Generation), long> _queue = new();
    private readonly Dictionary<TrackedTorrent, List<Entry>> _torrents = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, TrackerState> _trackers = [];
    private readonly SemaphoreSlim _inFlight;
    private TaskCompletionSource _wakeSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly uint _key = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private Task? _loop;
    private long _announces;
    private long _failures;

    public AnnounceScheduler(AnnounceSchedulerOptions options, ILogger? logger = null, TimeProvider? timeProvider = null,
        Func<Uri, ITrackerClient>? clientFactory = null)
    {
        options.Validate();
        _options = options;
        _log = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _clientFactory = clientFactory ?? CreateClient;
        _inFlight = new SemaphoreSlim(options.MaxConcurrentAnnounces);
    }

    /// <summary>Called (on a pool thread) with the peers of every successful announce.</summary>
    public Action<ReadOnlyMemory<byte>, IReadOnlyList<IPEndPoint>>? PeersReceived { get; set; }

    public long AnnouncesSent => Interlocked.Read(ref _announces);

    public long AnnounceFailures => Interlocked.Read(ref _failures);

    public int TorrentCount { get { lock (_lock) return _torrents.Count; } }

    /// <summary>Adds a torrent; its started announces are queued at once (the per-tracker rate spreads them).</summary>
    public void Add(TrackedTorrent torrent)
    {
        var entries = new List<Entry>();
        foreach (var hash in torrent.InfoHashes)
        {
            foreach (var tier in torrent.Tiers)
            {
                var urls = tier.Where(Supported).ToList();
                if (urls.Count > 0) entries.Add(new Entry(torrent, hash, urls));
            }
        }
        lock (_lock)
        {
            if (!_torrents.TryAdd(torrent, entries)) throw new InvalidOperationException("The torrent is already tracked.");
            var now = _time.GetTimestamp();
            foreach (var entry in entries) Schedule(entry, now);
        }
        Wake();
    }

    /// <summary>Stops announcing a torrent; trackers that saw it start get a stopped event (in the background).</summary>
    public bool Remove(TrackedTorrent torrent)
    {
        List<Entry>? entries;
        lock (_lock)
        {
            if (!_torrents.Remove(torrent, out entries)) return false;
            foreach (var entry in entries)
            {
                entry.Removed = true;
                entry.StopSent = entry.Started; // an entry not started yet gets its stopped after its started reply
            }
        }
        if (!_stopping.IsCancellationRequested)
        {
            _ = SendStoppedAsync(entries.Where(e => e.Started).ToList(), _options.StopDeadline);
        }
        return true;
    }

    /// <summary>Tells the trackers at once that the download finished (event=completed).</summary>
    public void MarkCompleted(TrackedTorrent torrent)
    {
        lock (_lock)
        {
            if (!_torrents.TryGetValue(torrent, out var entries)) return;
            foreach (var entry in entries) entry.PendingEvent = TrackerEvent.Completed;
            // Entries already queued keep their slot; the event rides on their next announce. Queue extra ones now.
            var now = _time.GetTimestamp();
            foreach (var entry in entries) Schedule(entry, now);
        }
        Wake();
    }

    public Task StartAsync()
    {
        if (_loop is not null) throw new InvalidOperationException("The scheduler is already started.");
        _loop = RunAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop and sends stopped events for every started announce, waiting at most the deadline.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        if (_loop is { } loop) await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        List<Entry> started;
        lock (_lock) started = _torrents.Values.SelectMany(e => e).Where(e => e.Started).ToList();
        await SendStoppedAsync(started, _options.StopDeadline).ConfigureAwait(false);
    }

    /// <summary>
    /// Scrapes any number of hashes from one tracker in batches of its <see cref="ITrackerClient.MaxScrapeHashes"/>
    /// (74 per UDP packet, several <c>info_hash</c> parameters per HTTP request). Failed batches are logged and skipped.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ScrapeEntry>> ScrapeAsync(Uri tracker, IReadOnlyList<ReadOnlyMemory<byte>> infoHashes,
        CancellationToken cancellationToken = default)
    {
        var client = Client(tracker);
        var result = new Dictionary<string, ScrapeEntry>();
        foreach (var batch in infoHashes.Chunk(client.MaxScrapeHashes))
        {
            try
            {
                foreach (var (hash, entry) in await client.ScrapeAsync(batch, cancellationToken).ConfigureAwait(false))
                {
                    result[hash] = entry;
                }
            }
            catch (TrackerException e)
            {
                TrackerLog.ScrapeFailed(_log, tracker, e.Reason, e.Message);
            }
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        List<ITrackerClient> clients;
        lock (_lock) clients = _trackers.Values.Select(t => t.Client).ToList();
        foreach (var client in clients) await client.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    private ITrackerClient CreateClient(Uri url) => url.Scheme == "udp"
        ? new UdpTrackerClient(url, _options.Limits, _log, _time)
        : new HttpTrackerClient(url, _options.Limits, _http);

    private bool Supported(Uri url)
    {
        if (url.Scheme is "http" or "https" || (url.Scheme == "udp" && url.Port > 0)) return true;
        TrackerLog.UnsupportedTracker(_log, url.OriginalString, "only http, https and udp trackers are supported");
        return false;
    }

    private ITrackerClient Client(Uri url) => Tracker(url).Client;

    private TrackerState Tracker(Uri url)
    {
        lock (_lock)
        {
            if (!_trackers.TryGetValue(url.OriginalString, out var state))
            {
                state = new TrackerState(_clientFactory(url));
                _trackers.Add(url.OriginalString, state);
            }
            return state;
        }
    }
}
