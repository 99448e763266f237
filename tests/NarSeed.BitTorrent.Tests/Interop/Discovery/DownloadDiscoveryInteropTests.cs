using System.Net;
using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Engine;
using NarSeed.BitTorrent.Tests.Interop.Seeding;
using NarSeed.TestSupport;
using Xunit.Abstractions;

namespace NarSeed.BitTorrent.Tests.Interop.Discovery;

/// <summary>
/// OUR downloader (TorrentDownload) takes its peers from discovery only, against real parts: a libtorrent seeder found
/// through opentracker (HTTP and UDP), and a libtorrent seeder learnt through a libtorrent peer's ut_pex message on a
/// download connection. No seeder address is ever given to the downloader; DHT and LSD are off.
/// </summary>
[Collection("interop")]
public class DownloadDiscoveryInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>The port our downloader announces as its own (nothing listens there; opentracker hands it back).</summary>
    private const int OwnPort = 6998;

    [Theory]
    [InlineData("http")]
    [InlineData("udp")]
    public async Task Our_downloader_finds_a_libtorrent_seeder_only_through_opentracker_and_completes(string scheme)
    {
        using var directory = new TempDirectory("narseed-dltrack-");
        var data = Path.Combine(directory.Path, "lt-tracked.bin");
        var bytes = RandomBytes(400_000, 21);
        await File.WriteAllBytesAsync(data, bytes);
        await using var scenario = await DiscoveryScenario.StartAsync(directory.Path, [SeedingTestBed.Make(data, true, 16384)]);
        var made = scenario.Torrents[0];
        await using var tracker = await OpenTracker.StartAsync([made.V2[..40]]);
        var url = scheme == "http" ? tracker.HttpUrl : tracker.UdpUrl;
        await scenario.GoAsync(directory.Path, [new JsonObject
        {
            ["torrent"] = data + ".torrent", ["save"] = directory.Path, ["trackers"] = new JsonArray(url.ToString()),
            ["seed"] = true,
        }]);
        var seederPort = await scenario.WaitSeedingAsync(0, Bound);

        var log = new TestLogger();
        var peerId = "-NS0100-downloadtrk1"u8.ToArray();
        await using var discovery = new PeerDiscovery(new DiscoveryOptions { Trackers = [url], EnableLsd = false, EnablePex = false },
            peerId, () => OwnPort, log);
        var found = new System.Collections.Concurrent.ConcurrentQueue<DiscoveredPeer>();
        discovery.PeerDiscovered += (_, peer) => found.Enqueue(peer);
        await discovery.StartAsync();
        var into = Directory.CreateDirectory(Path.Combine(directory.Path, "ours")).FullName;
        var torrent = TorrentReader.Read(await File.ReadAllBytesAsync(data + ".torrent"));
        torrent.Trackers.Should().BeEmpty("the tracker reaches the download only through discovery's extra tier");
        await using var download = new TorrentDownload(torrent,
            new DownloadOptions { OutputDirectory = into, Discovery = discovery, PeerId = peerId, ListenPort = OwnPort }, log);

        var result = await download.RunAsync().WaitAsync(Bound);
        output.WriteLine(log.ToString());
        output.WriteLine(tracker.Output);

        (await File.ReadAllBytesAsync(result.Path)).Should().Equal(bytes);
        result.BytesFromPeers.Should().Be(bytes.Length);
        discovery.Trackers!.AnnouncesSent.Should().BeGreaterThanOrEqualTo(1, "the download announced itself (started, bytes left)");
        found.Should().Contain(new DiscoveredPeer(new IPEndPoint(IPAddress.Loopback, seederPort), PeerSource.Tracker),
            "the seeder's endpoint came from the tracker");
        download.SelfEndPoints.Should().NotContain(e => e.Port == seederPort);
        scenario.CloseInput();
    }

    [Fact]
    public async Task Our_downloader_learns_a_seeder_through_libtorrents_ut_pex_and_downloads_from_it()
    {
        using var directory = new TempDirectory("narseed-dlpex-");
        var data = Path.Combine(directory.Path, "pex-seeded.bin");
        var bytes = RandomBytes(300_000, 22);
        await File.WriteAllBytesAsync(data, bytes);
        await using var scenario = await DiscoveryScenario.StartAsync(directory.Path, [SeedingTestBed.Make(data, true, 16384)]);
        // Session 0 seeds. A second libtorrent process (the middle) has PEX on, dials the seeder, and downloads at
        // 2 KB/s (slower starves even its handshake reads): in the 60 s bound it could hand us at most 120 KB of the
        // 300 KB, so completing means we connected to the seeder, whose address only the middle's ut_pex gave us.
        await scenario.GoAsync(directory.Path, [
            new JsonObject { ["torrent"] = data + ".torrent", ["save"] = directory.Path, ["seed"] = true, ["pex"] = true },
        ]);
        var seederPort = await scenario.WaitSeedingAsync(0, Bound);
        await using var middle = await DiscoveryScenario.StartAsync(Directory.CreateDirectory(Path.Combine(directory.Path, "mid")).FullName, []);
        var middleSave = Directory.CreateDirectory(Path.Combine(directory.Path, "mid", "save")).FullName;
        await middle.GoAsync(Path.Combine(directory.Path, "mid"), [new JsonObject
        {
            ["torrent"] = data + ".torrent", ["save"] = middleSave, ["pex"] = true, ["download_limit"] = 2000,
            ["peers"] = new JsonArray($"127.0.0.1:{seederPort}"), ["timeout"] = 55,
        }]);
        var middlePort = await middle.WaitListeningAsync(0, Bound);
        // libtorrent's first ut_pex message to a new peer is its full peer list, later ones come a minute apart:
        // the middle peer must already be connected to the seeder when we connect.
        await middle.WaitConnectedAsync(0, Bound);

        var log = new TestLogger();
        var peerId = "-NS0100-downloadpex1"u8.ToArray();
        await using var discovery = new PeerDiscovery(new DiscoveryOptions { EnableTrackers = false, EnableLsd = false },
            peerId, () => OwnPort, log);
        var found = new System.Collections.Concurrent.ConcurrentQueue<DiscoveredPeer>();
        discovery.PeerDiscovered += (_, peer) => found.Enqueue(peer);
        await discovery.StartAsync();
        var into = Directory.CreateDirectory(Path.Combine(directory.Path, "ours")).FullName;
        var torrent = TorrentReader.Read(await File.ReadAllBytesAsync(data + ".torrent"));
        await using var download = new TorrentDownload(torrent, new DownloadOptions
        {
            OutputDirectory = into, Discovery = discovery, PeerId = peerId, ListenPort = OwnPort,
            Peers = [new IPEndPoint(IPAddress.Loopback, middlePort)],
        }, log);

        DownloadResult result;
        try
        {
            result = await download.RunAsync().WaitAsync(Bound);
        }
        finally
        {
            output.WriteLine(log.ToString());
            output.WriteLine(scenario.Output + middle.Output);
            output.WriteLine($"peers received by PEX: {download.PexPeersReceived}, PEX connections: {download.PexPeers}");
        }

        (await File.ReadAllBytesAsync(result.Path)).Should().Equal(bytes);
        result.BytesFromPeers.Should().Be(bytes.Length);
        download.PexPeersReceived.Should().BeGreaterThanOrEqualTo(1);
        found.Should().Contain(new DiscoveredPeer(new IPEndPoint(IPAddress.Loopback, seederPort), PeerSource.Pex),
                "the seeder's address reached our downloader only through libtorrent's ut_pex");
        scenario.CloseInput();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
