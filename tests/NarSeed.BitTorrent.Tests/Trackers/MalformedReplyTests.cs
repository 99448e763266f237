using System.Buffers.Binary;
using System.Net;
using System.Text;
using NarSeed.BitTorrent.Tests.Engine;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Tests.Trackers;

/// <summary>
/// Hostile trackers on 127.0.0.1: every malformed reply is refused with its reason, within a bounded time, and the
/// scheduler logs it and keeps announcing other torrents (issue 8 acceptance).
/// </summary>
public class MalformedReplyTests
{
    private static readonly TrackerLimits FastLimits = new()
    {
        HttpTimeout = TimeSpan.FromSeconds(2), UdpRetransmitBase = TimeSpan.FromMilliseconds(100), UdpMaxAttempts = 2,
        MaxPeers = 100,
    };

    private static readonly AnnounceRequest Request = new()
    {
        InfoHash = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray(), PeerId = "-NS0100-abcdefghijkl"u8.ToArray(),
        Port = 6881, Left = 1, Event = TrackerEvent.Started,
    };

    public static TheoryData<string, string, TrackerErrorReason> HttpCases => new()
    {
        { "garbage", "this is not bencode", TrackerErrorReason.MalformedBencode },
        { "truncated", "d8:intervali1800e5:peers", TrackerErrorReason.MalformedBencode },
        { "not a dictionary", "li1ee", TrackerErrorReason.MalformedBencode },
        { "trailing bytes", "d8:intervali60ee!", TrackerErrorReason.MalformedBencode },
        { "peers not a multiple of 6", "d8:intervali60e5:peers5:abcdee", TrackerErrorReason.InvalidField },
        { "peers6 not a multiple of 18", "d8:intervali60e6:peers67:abcdefge", TrackerErrorReason.InvalidField },
        { "negative interval", "d8:intervali-5e5:peers0:e", TrackerErrorReason.InvalidField },
        { "failure reason", "d14:failure reason8:go away!e", TrackerErrorReason.TrackerFailure },
    };

    [Theory]
    [MemberData(nameof(HttpCases))]
    public async Task An_HTTP_reply_that_is_malformed_is_refused_with_its_reason(string name, string body, TrackerErrorReason reason)
    {
        await using var tracker = new FakeHttpTracker(Encoding.Latin1.GetBytes(body));
        await using var client = new HttpTrackerClient(tracker.AnnounceUrl, FastLimits);
        var act = () => client.AnnounceAsync(Request);
        (await act.Should().ThrowAsync<TrackerException>(name)).Which.Reason.Should().Be(reason);
    }

    [Fact]
    public async Task HTTP_status_oversize_and_stall_are_refused_in_bounded_time()
    {
        await using var notFound = new FakeHttpTracker("d8:intervali60ee"u8.ToArray(), "404 Not Found");
        await using var huge = new FakeHttpTracker(new byte[TrackerLimits.DefaultMaxResponseLength + 1]);
        await using var stall = new FakeHttpTracker(null);
        foreach (var (tracker, reason) in new[]
                 {
                     (notFound, TrackerErrorReason.HttpStatus), (huge, TrackerErrorReason.ResponseTooLarge),
                     (stall, TrackerErrorReason.Timeout),
                 })
        {
            await using var client = new HttpTrackerClient(tracker.AnnounceUrl, FastLimits);
            var started = DateTime.UtcNow;
            var act = () => client.AnnounceAsync(Request);
            (await act.Should().ThrowAsync<TrackerException>()).Which.Reason.Should().Be(reason);
            (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Huge_HTTP_peer_lists_are_capped_or_refused()
    {
        // 10,000 compact peers: kept up to MaxPeers.
        var compact = new byte[10_000 * 6];
        for (var i = 0; i < 10_000; i++)
        {
            compact[i * 6] = 10;
            BinaryPrimitives.WriteUInt16BigEndian(compact.AsSpan(i * 6 + 1), (ushort)i);
            BinaryPrimitives.WriteUInt16BigEndian(compact.AsSpan(i * 6 + 4), 6881);
        }
        byte[] body = [.. "d8:intervali60e5:peers60000:"u8, .. compact, .. "e"u8];
        await using (var tracker = new FakeHttpTracker(body))
        await using (var client = new HttpTrackerClient(tracker.AnnounceUrl, FastLimits))
        {
            (await client.AnnounceAsync(Request)).Peers.Should().HaveCount(FastLimits.MaxPeers);
        }
        // 5,000 dictionary-model peers exceed the item budget the limits allow: refused before anything is built.
        var dictionaries = string.Concat(Enumerable.Range(0, 5000).Select(i => $"d2:ip8:10.0.0.14:porti{i + 1}ee"));
        await using (var tracker = new FakeHttpTracker(Encoding.ASCII.GetBytes($"d8:intervali60e5:peersl{dictionaries}ee")))
        await using (var client = new HttpTrackerClient(tracker.AnnounceUrl, FastLimits))
        {
            var act = () => client.AnnounceAsync(Request);
            (await act.Should().ThrowAsync<TrackerException>()).Which.Reason.Should().Be(TrackerErrorReason.MalformedBencode);
        }
    }

    [Fact]
    public async Task UDP_truncated_wrong_action_and_error_replies_are_refused()
    {
        foreach (var (reply, reason) in new (Func<byte[], byte[]>, TrackerErrorReason)[]
                 {
                     (r => FakeUdpTracker.Header(r, 1, 4), TrackerErrorReason.TruncatedPacket),
                     (r => FakeUdpTracker.Header(r, 2, 12), TrackerErrorReason.UnexpectedAction),
                     (r => [.. FakeUdpTracker.Header(r, 3), .. "no such torrent"u8], TrackerErrorReason.TrackerFailure),
                     (r => r.AsSpan(0, 6).ToArray(), TrackerErrorReason.Timeout), // too short to carry a transaction id
                 })
        {
            await using var tracker = new FakeUdpTracker(r => [reply(r)]);
            await using var client = new UdpTrackerClient(tracker.AnnounceUrl, FastLimits);
            var act = () => client.AnnounceAsync(Request);
            (await act.Should().ThrowAsync<TrackerException>()).Which.Reason.Should().Be(reason);
        }
    }

    [Fact]
    public async Task UDP_replies_with_wrong_transaction_ids_are_dropped_and_logged_and_a_retransmission_follows()
    {
        var log = new TestLogger();
        await using var tracker = new FakeUdpTracker(r =>
        {
            var wrong = AnnounceReply(r, peers: 1);
            wrong[4] ^= 0xff;
            return [wrong];
        });
        await using var client = new UdpTrackerClient(tracker.AnnounceUrl, FastLimits, log);
        var started = DateTime.UtcNow;
        var act = () => client.AnnounceAsync(Request);
        (await act.Should().ThrowAsync<TrackerException>()).Which.Reason.Should().Be(TrackerErrorReason.Timeout);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(3), "100 ms + 200 ms of waiting");
        tracker.Requests.Should().Be(2, "one retransmission after the base delay");
        client.StrayReplies.Should().Be(2);
        log.ToString().Should().Contain("unknown transaction id");
    }

    [Fact]
    public async Task A_UDP_reply_after_a_stray_one_is_accepted_and_huge_peer_lists_are_capped()
    {
        await using var tracker = new FakeUdpTracker(r =>
        {
            var stray = AnnounceReply(r, peers: 0);
            stray[5] ^= 0x01;
            return [stray, AnnounceReply(r, peers: 1400)]; // 8,400 bytes of peers: far above MaxPeers
        });
        await using var client = new UdpTrackerClient(tracker.AnnounceUrl, FastLimits);
        var response = await client.AnnounceAsync(Request);
        response.Peers.Should().HaveCount(FastLimits.MaxPeers);
        response.Peers[0].Should().Be(new IPEndPoint(IPAddress.Parse("10.0.0.0"), 6881));
        response.Interval.Should().Be(TimeSpan.FromSeconds(900));
        client.StrayReplies.Should().Be(1);
    }

    [Fact]
    public async Task The_scheduler_logs_the_reason_and_keeps_announcing_other_torrents()
    {
        var log = new TestLogger();
        await using var bad = new FakeHttpTracker("garbage"u8.ToArray());
        await using var good = new FakeUdpTracker(r => [AnnounceReply(r, peers: 2)]);
        var found = new List<IPEndPoint>();
        await using var scheduler = new AnnounceScheduler(new AnnounceSchedulerOptions
        {
            PeerId = Request.PeerId, Port = () => 6881, Limits = FastLimits, RetryBase = TimeSpan.FromMilliseconds(200),
        }, log) { PeersReceived = (_, peers) => { lock (found) found.AddRange(peers); } };
        await scheduler.StartAsync();
        scheduler.Add(new TrackedTorrent([new byte[20]], [[bad.AnnounceUrl]]));
        scheduler.Add(new TrackedTorrent([Enumerable.Repeat((byte)7, 20).ToArray()], [[good.AnnounceUrl]]));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((scheduler.AnnounceFailures < 2 || scheduler.AnnouncesSent < 1) && DateTime.UtcNow < deadline) await Task.Delay(20);
        scheduler.AnnounceFailures.Should().BeGreaterThanOrEqualTo(2, "the bad tracker is retried after back-off");
        scheduler.AnnouncesSent.Should().Be(1);
        lock (found) found.Should().HaveCount(2);
        log.ToString().Should().Contain("failed (MalformedBencode)");
    }

    [Fact]
    public async Task Through_the_scheduler_every_kind_of_malformed_reply_is_logged_with_its_reason_and_a_good_tracker_still_works()
    {
        var log = new TestLogger();
        await using var garbage = new FakeHttpTracker("this is not bencode"u8.ToArray());
        await using var truncatedHttp = new FakeHttpTracker("d8:intervali1800e5:peers"u8.ToArray());
        await using var oversized = new FakeHttpTracker(new byte[TrackerLimits.DefaultMaxResponseLength + 1]);
        await using var truncatedUdp = new FakeUdpTracker(r => [FakeUdpTracker.Header(r, 1, 4)]);
        await using var wrongAction = new FakeUdpTracker(r => [FakeUdpTracker.Header(r, 2, 12)]);
        await using var wrongTransaction = new FakeUdpTracker(r =>
        {
            var wrong = AnnounceReply(r, peers: 1);
            wrong[4] ^= 0xff;
            return [wrong];
        });
        await using var huge = new FakeUdpTracker(r => [AnnounceReply(r, peers: 1400)]);
        var found = 0;
        await using var scheduler = new AnnounceScheduler(new AnnounceSchedulerOptions
        {
            PeerId = Request.PeerId, Port = () => 6881, Limits = FastLimits, RetryBase = TimeSpan.FromSeconds(30),
        }, log) { PeersReceived = (_, peers) => Interlocked.Add(ref found, peers.Count) };
        await scheduler.StartAsync();
        var bad = new[] { garbage.AnnounceUrl, truncatedHttp.AnnounceUrl, oversized.AnnounceUrl, truncatedUdp.AnnounceUrl,
            wrongAction.AnnounceUrl, wrongTransaction.AnnounceUrl };
        for (var i = 0; i < bad.Length; i++) scheduler.Add(new TrackedTorrent([Enumerable.Repeat((byte)(i + 1), 20).ToArray()], [[bad[i]]]));
        scheduler.Add(new TrackedTorrent([Enumerable.Repeat((byte)99, 20).ToArray()], [[huge.AnnounceUrl]]));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((scheduler.AnnounceFailures < bad.Length || scheduler.AnnouncesSent < 1) && DateTime.UtcNow < deadline) await Task.Delay(20);
        scheduler.AnnounceFailures.Should().Be(bad.Length, log.ToString());
        scheduler.AnnouncesSent.Should().Be(1, "the tracker with a huge peer list is answered, its list capped");
        Volatile.Read(ref found).Should().Be(FastLimits.MaxPeers);
        var text = log.ToString();
        foreach (var (url, reason) in new[]
                 {
                     (garbage.AnnounceUrl, TrackerErrorReason.MalformedBencode), (truncatedHttp.AnnounceUrl, TrackerErrorReason.MalformedBencode),
                     (oversized.AnnounceUrl, TrackerErrorReason.ResponseTooLarge), (truncatedUdp.AnnounceUrl, TrackerErrorReason.TruncatedPacket),
                     (wrongAction.AnnounceUrl, TrackerErrorReason.UnexpectedAction), (wrongTransaction.AnnounceUrl, TrackerErrorReason.Timeout),
                 })
        {
            text.Split('\n').Should().Contain(l => l.Contains(url.ToString(), StringComparison.Ordinal) && l.Contains($"failed ({reason})", StringComparison.Ordinal),
                "{0} is logged with its reason", url);
        }
        text.Should().Contain("unknown transaction id", "the stray replies themselves are logged too");
        scheduler.TrackerReports().Where(r => r.LastError is not null).Should().HaveCount(bad.Length);
    }

    /// <summary>A BEP 15 announce reply with interval 900 and <paramref name="peers"/> peers 10.0.x.y:6881.</summary>
    internal static byte[] AnnounceReply(byte[] request, int peers)
    {
        var reply = FakeUdpTracker.Header(request, 1, 12 + 6 * peers);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), 900);
        for (var i = 0; i < peers; i++)
        {
            var entry = reply.AsSpan(20 + 6 * i);
            entry[0] = 10;
            BinaryPrimitives.WriteUInt16BigEndian(entry[2..], (ushort)i);
            BinaryPrimitives.WriteUInt16BigEndian(entry[4..], 6881);
        }
        return reply;
    }
}
