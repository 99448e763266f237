using System.Net;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>The one heartbeat enforces deadlines on the engine's <see cref="TimeProvider"/>: no test sleeps through them.</summary>
public class HeartbeatTests
{
    [Fact]
    public async Task A_silent_connection_is_closed_when_the_handshake_timeout_passes_on_the_engines_clock()
    {
        var clock = new ManualTimeProvider();
        var options = new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback] }; // defaults: 10 s, heartbeat 1 s
        await using var engine = new SeedEngine(options, new TestLogger(), clock);
        await engine.StartAsync();
        await using var peer = await FakePeer.ConnectAsync(engine.Port);
        for (var i = 0; i < 100 && engine.ConnectionCount == 0; i++) await Task.Delay(10);

        clock.Advance(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(1));
        (await peer.IsClosedWithinAsync(TimeSpan.FromMilliseconds(300))).Should().BeFalse("9 s is inside libtorrent's 10 s");

        clock.Advance(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        (await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        for (var i = 0; i < 100 && engine.ViolationCount(WireProtocolErrorReason.HandshakeTimeout) == 0; i++) await Task.Delay(10);
        engine.ViolationCount(WireProtocolErrorReason.HandshakeTimeout).Should().Be(1);
    }
}
