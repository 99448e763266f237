using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Tests.Trackers;

public class AnnounceSchedulerTests
{
    /// <summary>A tracker that records every announce (time, hash, event) and answers as told.</summary>
    private sealed class RecordingTracker(Uri url, Func<AnnounceRequest, Task<AnnounceResponse>>? answer = null) : ITrackerClient
    {
        public ConcurrentQueue<(TimeSpan At, string Hash, TrackerEvent Event)> Announces { get; } = new();

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public Uri Url { get; } = url;

        public int MaxScrapeHashes => 74;

        public List<int> ScrapeBatches { get; } = [];

        public Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken = default)
        {
            Announces.Enqueue((Clock.Elapsed, Convert.ToHexStringLower(request.InfoHash.Span), request.Event));
            return answer?.Invoke(request) ?? Task.FromResult(new AnnounceResponse
            {
                Interval = TimeSpan.FromHours(1), Peers = [new IPEndPoint(IPAddress.Loopback, 1000 + request.InfoHash.Span[0])],
            });
        }

        public Task<IReadOnlyDictionary<string, ScrapeEntry>> ScrapeAsync(IReadOnlyList<ReadOnlyMemory<byte>> infoHashes,
            CancellationToken cancellationToken = default)
        {
            lock (ScrapeBatches) ScrapeBatches.Add(infoHashes.Count);
            return Task.FromResult<IReadOnlyDictionary<string, ScrapeEntry>>(
                infoHashes.ToDictionary(h => Convert.ToHexStringLower(h.Span), _ => new ScrapeEntry(1, 2, 3)));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static AnnounceScheduler Scheduler(Func<Uri, ITrackerClient> clients, double rate = 1000, TimeSpan? retry = null,
        TimeSpan? stopDeadline = null) => new(new AnnounceSchedulerOptions
    {
        PeerId = new byte[20], Port = () => 6881, MaxAnnouncesPerSecondPerTracker = rate,
        RetryBase = retry ?? TimeSpan.FromSeconds(15), StopDeadline = stopDeadline ?? TimeSpan.FromSeconds(5),
    }, clientFactory: clients);

    private static byte[] Hash(int i) => [(byte)i, (byte)(i >> 8), .. new byte[18]];

    private static readonly Uri Url = new("udp://tracker.test:1/announce");

    private static async Task Until(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_burst_of_new_torrents_is_spread_at_the_trackers_rate()
    {
        var tracker = new RecordingTracker(Url);
        await using var scheduler = Scheduler(_ => tracker, rate: 100);
        await scheduler.StartAsync();
        for (var i = 0; i < 150; i++) scheduler.Add(new TrackedTorrent([Hash(i)], [[Url]]));
        await Until(() => tracker.Announces.Count >= 150);
        var times = tracker.Announces.Select(a => a.At).Order().ToList();
        var gaps = string.Join(",", times.Zip(times.Skip(1), (a, b) => (int)(b - a).TotalMilliseconds));
        (times[^1] - times[0]).Should().BeGreaterThan(TimeSpan.FromSeconds(1.3), "150 announces at 100/s take about 1.5 s; gaps " + gaps);
        // No window of 0.5 s holds far more than the rate allows (50 + 1 for the window edge; a late loop catches up at the same spacing).
        for (var i = 0; i < times.Count; i++)
        {
            times.Count(t => t >= times[i] && t < times[i] + TimeSpan.FromSeconds(0.5)).Should().BeLessThanOrEqualTo(51, gaps);
        }
        tracker.Announces.Should().OnlyContain(a => a.Event == TrackerEvent.Started);
    }

    [Fact]
    public async Task A_hybrid_is_announced_under_both_hashes_and_peers_are_reported()
    {
        var tracker = new RecordingTracker(Url);
        var reported = new ConcurrentBag<string>();
        await using var scheduler = Scheduler(_ => tracker);
        scheduler.PeersReceived = (hash, peers) => reported.Add($"{hash.Span[0]}:{peers[0].Port}");
        await scheduler.StartAsync();
        var v2 = new byte[32];
        v2[0] = 5;
        scheduler.Add(new TrackedTorrent(TrackedTorrent.AnnounceHashes(v2, Hash(9)), [[Url]]));
        await Until(() => reported.Count == 2);
        tracker.Announces.Select(a => a.Hash).Should().BeEquivalentTo(Convert.ToHexStringLower(v2.AsSpan(0, 20)), Convert.ToHexStringLower(Hash(9)));
        reported.Should().BeEquivalentTo("5:1005", "9:1009");
    }

    [Fact]
    public async Task Failures_back_off_exponentially_and_the_next_tracker_of_the_tier_is_tried_at_once()
    {
        var bad = new RecordingTracker(new Uri("http://bad.test/announce"),
            _ => Task.FromException<AnnounceResponse>(new TrackerException(TrackerErrorReason.Timeout, "no")));
        var good = new RecordingTracker(new Uri("http://good.test/announce"));
        await using (var scheduler = Scheduler(u => u.Host == "bad.test" ? bad : good, retry: TimeSpan.FromMilliseconds(100)))
        {
            await scheduler.StartAsync();
            scheduler.Add(new TrackedTorrent([Hash(1)], [[bad.Url, good.Url]]));
            await Until(() => good.Announces.Count == 1);
            bad.Announces.Should().HaveCount(1);
            (good.Announces.Single().At - bad.Announces.Single().At).Should().BeLessThan(TimeSpan.FromMilliseconds(500));
        }
        var failing = new RecordingTracker(Url, _ => Task.FromException<AnnounceResponse>(new TrackerException(TrackerErrorReason.Timeout, "no")));
        await using (var scheduler = Scheduler(_ => failing, retry: TimeSpan.FromMilliseconds(100)))
        {
            await scheduler.StartAsync();
            scheduler.Add(new TrackedTorrent([Hash(2)], [[Url]]));
            await Until(() => failing.Announces.Count >= 4);
            var t = failing.Announces.Select(a => a.At).ToList();
            // 100, 200, 400 ms (±10 %): lower bounds only, since a loaded machine can only make gaps longer.
            (t[1] - t[0]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(90));
            (t[2] - t[1]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(180));
            (t[3] - t[2]).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(360));
            scheduler.AnnounceFailures.Should().BeGreaterThanOrEqualTo(4);
        }
    }

    [Fact]
    public async Task Shutdown_sends_stopped_for_started_torrents_and_respects_the_deadline()
    {
        var tracker = new RecordingTracker(Url);
        var scheduler = Scheduler(_ => tracker);
        await scheduler.StartAsync();
        for (var i = 0; i < 20; i++) scheduler.Add(new TrackedTorrent([Hash(i)], [[Url]]));
        await Until(() => tracker.Announces.Count == 20);
        await scheduler.DisposeAsync();
        tracker.Announces.Count(a => a.Event == TrackerEvent.Stopped).Should().Be(20);

        // A tracker that never answers a stopped announce cannot hold shutdown past the deadline.
        var stalling = new RecordingTracker(Url, r => r.Event == TrackerEvent.Stopped
            ? Task.Delay(Timeout.Infinite).ContinueWith(_ => new AnnounceResponse { Interval = TimeSpan.Zero, Peers = [] })
            : Task.FromResult(new AnnounceResponse { Interval = TimeSpan.FromHours(1), Peers = [] }));
        var slow = Scheduler(_ => stalling, stopDeadline: TimeSpan.FromMilliseconds(300));
        await slow.StartAsync();
        slow.Add(new TrackedTorrent([Hash(1)], [[Url]]));
        await Until(() => stalling.Announces.Count == 1);
        var clock = Stopwatch.StartNew();
        await slow.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Scrapes_go_out_in_batches_of_the_clients_size()
    {
        var tracker = new RecordingTracker(Url);
        await using var scheduler = Scheduler(_ => tracker);
        var hashes = Enumerable.Range(0, 200).Select(i => (ReadOnlyMemory<byte>)Hash(i)).ToList();
        var result = await scheduler.ScrapeAsync(Url, hashes);
        result.Should().HaveCount(200);
        tracker.ScrapeBatches.Should().Equal(74, 74, 52);
    }

    [Fact]
    public async Task Completed_raised_while_the_started_announce_is_in_flight_is_sent_at_once_not_an_interval_later()
    {
        // The first announce hangs until released (a fast download finishes before its started reply arrives).
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracker = new RecordingTracker(Url, async request =>
        {
            if (request.Event == TrackerEvent.Started) await release.Task;
            return new AnnounceResponse { Interval = TimeSpan.FromHours(1), Peers = [] };
        });
        await using var scheduler = Scheduler(_ => tracker);
        await scheduler.StartAsync();
        var torrent = new TrackedTorrent([Hash(1)], [[Url]]);
        scheduler.Add(torrent);
        await Until(() => tracker.Announces.Count == 1);
        scheduler.MarkCompleted(torrent);
        await Task.Delay(100); // the loop sees the busy entry and drops the completed's queue item
        release.SetResult();
        await Until(() => tracker.Announces.Count == 2, seconds: 5);
        tracker.Announces.Select(a => a.Event).Should().Equal(TrackerEvent.Started, TrackerEvent.Completed);
    }

    [Fact]
    public async Task A_torrent_removed_while_its_started_announce_is_in_flight_gets_stopped_once_the_reply_is_in()
    {
        // Without it the tracker would list us until the peer times out (a fast fetch is removed within milliseconds).
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracker = new RecordingTracker(Url, async request =>
        {
            if (request.Event == TrackerEvent.Started) await release.Task;
            return new AnnounceResponse { Interval = TimeSpan.FromHours(1), Peers = [] };
        });
        await using var scheduler = Scheduler(_ => tracker);
        await scheduler.StartAsync();
        var torrent = new TrackedTorrent([Hash(3)], [[Url]]);
        scheduler.Add(torrent);
        await Until(() => tracker.Announces.Count == 1);
        scheduler.Remove(torrent).Should().BeTrue();
        release.SetResult();
        await Until(() => tracker.Announces.Count == 2, seconds: 5);
        tracker.Announces.Select(a => a.Event).Should().Equal(TrackerEvent.Started, TrackerEvent.Stopped);

        // A torrent removed after its started reply gets exactly one stopped.
        var other = new TrackedTorrent([Hash(4)], [[Url]]);
        scheduler.Add(other);
        await Until(() => tracker.Announces.Count == 3);
        await Until(() => scheduler.AnnouncesSent == 2);
        scheduler.Remove(other);
        await Until(() => tracker.Announces.Count == 4, seconds: 5);
        await Task.Delay(200); // no second stopped may follow
        tracker.Announces.Count(a => a.Event == TrackerEvent.Stopped).Should().Be(2);
    }
}
