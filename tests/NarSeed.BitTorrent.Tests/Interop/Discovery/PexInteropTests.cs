using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Tests.Engine;
using NarSeed.BitTorrent.Tests.Interop.Seeding;
using Xunit.Abstractions;

namespace NarSeed.BitTorrent.Tests.Interop.Discovery;

/// <summary>
/// Real libtorrent A and B both download from our seeder (given only its address; no tracker, DHT or LSD). B has PEX
/// off, so the only way A can learn B's address is our ut_pex message (issue 8 acceptance).
/// </summary>
[Collection("interop")]
public class PexInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_libtorrent_peer_learns_a_third_peer_from_our_ut_pex()
    {
        // Slow enough (about 10 s for both) that A and B are still downloading when our first PEX message goes out.
        await using var bed = await SeedingTestBed.StartAsync(o => o.UploadRateLimit = 200_000);
        var data = bed.WriteData("pex.bin", 1_000_000, seed: 13);
        await using var scenario = await DiscoveryScenario.StartAsync(bed.Directory, [SeedingTestBed.Make(data, true, 32768)]);
        var log = new TestLogger();
        await using var discovery = new PeerDiscovery(new DiscoveryOptions { EnableTrackers = false, EnableLsd = false },
            bed.Engine.PeerId, () => bed.Engine.Port, log);
        bed.Engine.Discovery = discovery;
        bed.Engine.Register(scenario.Torrents[0].ToSeedTorrent(data));

        JsonObject Session(string name, bool pex) => new()
        {
            ["torrent"] = data + ".torrent", ["save"] = Directory.CreateDirectory(bed.Combine(name)).FullName,
            ["peers"] = new JsonArray(bed.Peer), ["pex"] = pex, ["timeout"] = 50,
        };
        await scenario.GoAsync(bed.Directory, [Session("a", pex: true), Session("b", pex: false)]);
        var a = await scenario.WaitResultAsync(0, TimeSpan.FromSeconds(60));
        var b = await scenario.WaitResultAsync(1, TimeSpan.FromSeconds(60));
        output.WriteLine(scenario.Output);
        output.WriteLine(bed.Log.ToString());
        a.Ok.Should().BeTrue(a.Error);
        b.Ok.Should().BeTrue(b.Error);
        bed.Engine.PexMessagesSent.Should().BeGreaterThan(0);
        a.Pex_Ports.Should().Contain(b.Port, "A heard of B (its listen port) only through our ut_pex");
        // A has PEX on and tells us about its peers too; B has it off and never negotiated ut_pex.
        bed.Engine.ViolationCount(BitTorrent.Wire.WireProtocolErrorReason.InvalidExtensionMessage).Should().Be(0);
    }
}
