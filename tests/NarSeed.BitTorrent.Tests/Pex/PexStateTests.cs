using System.Net;
using NarSeed.BitTorrent.Pex;

namespace NarSeed.BitTorrent.Tests.Pex;

public class PexStateTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Now { get; set; } = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;

        public void Advance(TimeSpan by) => Now += by.Ticks;
    }

    private static PexPeer Peer(int i) => new(new IPEndPoint(IPAddress.Parse($"10.0.{i / 250}.{i % 250 + 1}"), 6881), PexFlags.Reachable);

    [Fact]
    public void Sends_no_empty_first_message_and_never_the_peer_itself()
    {
        var state = new PexState(new ManualClock());
        var self = Peer(0).EndPoint;
        state.Next([Peer(0)], self).Should().BeNull("the only connected peer is the one we would tell");
        var first = state.Next([Peer(0), Peer(1)], self);
        first!.Added.Should().Equal(Peer(1));
    }

    [Fact]
    public void At_most_one_message_a_minute_and_50_added_and_dropped_after_the_first()
    {
        var clock = new ManualClock();
        var state = new PexState(clock);
        var first = state.Next(Enumerable.Range(1, 150).Select(Peer).ToList(), null);
        first!.Added.Should().HaveCount(PexLimits.MaxEntriesFirst);
        state.Next(Enumerable.Range(1, 150).Select(Peer).ToList(), null).Should().BeNull("less than a minute passed");
        clock.Advance(TimeSpan.FromSeconds(59));
        state.Next(Enumerable.Range(1, 150).Select(Peer).ToList(), null).Should().BeNull();
        clock.Advance(TimeSpan.FromSeconds(1));
        // Peers 1–80 disconnected, 151–250 connected: 80 to drop, 150 to add; 50 each at most.
        var now = Enumerable.Range(81, 170).Select(Peer).ToList();
        var second = state.Next(now, null)!;
        second.Added.Should().HaveCount(PexLimits.MaxEntriesAfterFirst);
        second.Dropped.Should().HaveCount(PexLimits.MaxEntriesAfterFirst);
        second.Dropped.Should().OnlyContain(p => Enumerable.Range(1, 80).Select(i => Peer(i).EndPoint).Contains(p));
        clock.Advance(TimeSpan.FromMinutes(1));
        var third = state.Next(now, null)!;
        third.Dropped.Should().HaveCount(30, "the rest of the 80");
        state.MessagesSent.Should().Be(3);
    }
}
