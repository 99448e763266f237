using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NarSeed.BitTorrent.Lsd;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Interop.Discovery;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Tests;
using NarSeed.Tests.EndToEnd;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// Seed-after-fetch with discovery, real parts only on 127.0.0.1: real Nix 2.8 builds and signs a small closure,
/// nginx-light is the origin, a NarSeed node (no tracker, no LSD) mirrors it and is the proxies' swarm through x.pe,
/// Debian's opentracker is the only place the proxies announce, and real libtorrent (DHT/LSD/UPnP/NAT-PMP/uTP off)
/// gets a magnet with nothing but the info-hash and the tracker: it can find the proxy only there.
/// </summary>
[Collection(NarSeed.Tests.Support.TimingSensitiveCollection.Name)]
public sealed class ProxySeedAnnounceTests(RealNixCache nix, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<RealNixCache>, IDisposable
{
    private const string Compression = "xz";
    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long any tracker-side change may take to show in a scrape (announces are immediate, not periodic).</summary>
    private static readonly TimeSpan TrackerBound = TimeSpan.FromSeconds(30);

    /// <summary>The short seeding period: long enough to see the seeder in a scrape, short enough to wait out.</summary>
    private static readonly TimeSpan ShortSeeding = TimeSpan.FromSeconds(8);

    private readonly TempDirectory _dir = new("narseed-proxy-announce-");

    public void Dispose() => _dir.Dispose();

    private string CacheDir => nix.CacheDir(Compression);

    private KeyValuePair<string, string?> TrustedKey => new("TrustedKeys:0", nix.PublicKey);

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];

    [Fact]
    public async Task Fetched_nars_are_announced_while_seeded_libtorrent_finds_the_proxy_only_through_opentracker_and_stopped_follows()
    {
        var origin = await NginxOrigin.StartAsync(CacheDir);
        var node = await InProcessNode.StartAsync(Directory.CreateDirectory(_dir.Combine("node")).FullName,
            new("Origins:0", origin.BaseUrl), TrustedKey, new("Roots:0", nix.EnvPath), new("Roots:1", nix.NotePath),
            new("Mirror:RetryBackoff", "00:00:00.2"), new("BitTorrent:Lsd", "false"));
        var stopped = 0;
        try
        {
            await node.WaitForPassesAsync(1, MirrorTimeout);
            var env = Hash(nix.EnvPath);
            var note = Hash(nix.NotePath);
            var originInfo = NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(CacheDir, env + ".narinfo")));
            var dep = originInfo.References.Select(r => r.HashPart).Single(h => h != env);
            var magnets = new Dictionary<string, MagnetLink>();
            foreach (var hash in new[] { env, dep, note })
            {
                var served = NixNarInfo.Parse(await node.Http.GetStringAsync(hash + ".narinfo"));
                magnets[hash] = MagnetLink.Parse(served.GetExtraField("Magnet")!);
                magnets[hash].Trackers.Should().BeEmpty("the node announces nowhere: only the proxies can be on the tracker");
            }
            await using var tracker = await OpenTracker.StartAsync(magnets.Values.Select(m => Convert.ToHexStringLower(m.InfoHashV2!.Value.Span[..20])));

            // Two proxies: a short seeding period announced over UDP, a long one over HTTP.
            await using var shortProxy = await InProcessProxy.StartAsync(_dir.Combine("short"), new("Upstreams:0", node.BaseUrl),
                TrustedKey, new("Trackers:0", tracker.UdpUrl.ToString()), new("SeedAfterFetch", ShortSeeding.ToString()));
            var longProxy = await InProcessProxy.StartAsync(_dir.Combine("long"), new("Upstreams:0", node.BaseUrl),
                TrustedKey, new("Trackers:0", tracker.HttpUrl.ToString()), new("SeedAfterFetch", "00:10:00"));
            try
            {
                await FetchAsync(shortProxy, note);
                await WaitForAsync(tracker, magnets[note], seeders: 1);
                await FetchAsync(longProxy, dep);
                await FetchAsync(longProxy, env);
                await WaitForAsync(tracker, magnets[dep], seeders: 1);
                await WaitForAsync(tracker, magnets[env], seeders: 1);
                longProxy.Seeder.Count.Should().Be(2, "completed is announced once a nar is served");

                // Nothing but the proxies holds the nars now, and libtorrent's magnet names nothing but the tracker.
                await StopAsync();
                var leech = new MagnetLink
                {
                    InfoHashV2 = magnets[dep].InfoHashV2, DisplayName = magnets[dep].DisplayName,
                    ExactLength = magnets[dep].ExactLength, Trackers = [tracker.HttpUrl.ToString()],
                };
                leech.ToString().Should().NotContain("x.pe").And.NotContain("ws=");
                var save = Directory.CreateDirectory(_dir.Combine("lt")).FullName;
                var uploadedBefore = longProxy.Seeder.BytesUploaded;
                var lt = await LibtorrentMagnet.DownloadAsync(leech.ToString(), save, TimeSpan.FromSeconds(40));
                lt["seeding"]!.GetValue<bool>().Should().BeTrue(lt.ToJsonString());
                var depNar = await OriginNarAsync(dep);
                (await File.ReadAllBytesAsync(Path.Combine(save, magnets[dep].DisplayName!))).Should().Equal(depNar);
                (longProxy.Seeder.BytesUploaded - uploadedBefore).Should().BeGreaterThanOrEqualTo(depNar.Length,
                    "the proxy, found through opentracker, was libtorrent's only source");

                // The short period has ended (or ends now): stopped is sent and the nar is no longer seeded.
                await WaitForAsync(tracker, magnets[note], seeders: 0);
                shortProxy.Seeder.Count.Should().Be(0, "the seeding period is over");

                // Shutdown sends stopped within the scheduler's deadline for the nar libtorrent never had.
                var clock = Stopwatch.StartNew();
                await longProxy.DisposeAsync();
                output.WriteLine($"long proxy stopped in {clock.Elapsed.TotalSeconds:F2} s; libtorrent: {lt.ToJsonString()}");
                await WaitForAsync(tracker, magnets[env], seeders: 0);
            }
            finally
            {
                await longProxy.DisposeAsync();
            }
        }
        finally
        {
            await StopAsync();
        }

        async Task StopAsync()
        {
            if (Interlocked.Exchange(ref stopped, 1) == 1) return;
            await node.DisposeAsync();
            await origin.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_LSD_on_a_fetched_and_seeded_nar_is_announced_on_the_LAN_with_the_seeding_port()
    {
        // A plain socket in BEP 14's IPv4 group hears what the proxy multicasts (multicast loopback is on).
        using var listener = new UdpClient();
        listener.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Client.Bind(new IPEndPoint(IPAddress.Any, LsdOptions.DefaultPort));
        listener.JoinMulticastGroup(LsdOptions.IPv4Group);

        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        await using var node = await InProcessNode.StartAsync(Directory.CreateDirectory(_dir.Combine("lsd-node")).FullName,
            new("Origins:0", origin.BaseUrl), TrustedKey, new("Roots:0", nix.EnvPath), new("Roots:1", nix.NotePath),
            new("Mirror:RetryBackoff", "00:00:00.2"), new("BitTorrent:Lsd", "false"));
        await node.WaitForPassesAsync(1, MirrorTimeout);
        var env = Hash(nix.EnvPath);
        var magnet = MagnetLink.Parse(NixNarInfo.Parse(await node.Http.GetStringAsync(env + ".narinfo")).GetExtraField("Magnet")!);
        var key = Convert.ToHexString(magnet.InfoHashV2!.Value.Span[..20]);

        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("lsd-proxy"), new("Upstreams:0", node.BaseUrl),
            TrustedKey, new("Lsd", "true"), new("SeedAfterFetch", "00:10:00"));
        await FetchAsync(proxy, env);
        using var timeout = new CancellationTokenSource(TrackerBound);
        string packet;
        do
        {
            var received = await listener.ReceiveAsync(timeout.Token);
            packet = Encoding.ASCII.GetString(received.Buffer);
        }
        while (!packet.Contains($"Infohash: {key}", StringComparison.OrdinalIgnoreCase));
        packet.Should().StartWith("BT-SEARCH * HTTP/1.1\r\n");
        packet.Should().Contain($"Port: {proxy.Seeder.Port}\r\n", "the port announced is the one the fetched nar is seeded on");
    }

    /// <summary>Nix's two requests through the proxy; the nar must be the origin's file and come from the swarm.</summary>
    private async Task FetchAsync(InProcessProxy proxy, string hash)
    {
        var before = (await proxy.StatusAsync()).GetProperty("totals").GetProperty("fetches").GetInt64();
        var served = NixNarInfo.Parse(await proxy.Http.GetStringAsync(hash + ".narinfo"));
        var bytes = await proxy.Http.GetByteArrayAsync(served.Url);
        bytes.Should().Equal(await OriginNarAsync(hash));
        var status = await proxy.StatusAfterFetchesAsync(before + 1);
        var totals = status.GetProperty("totals");
        (totals.GetProperty("bytesFromPeers").GetInt64() + totals.GetProperty("bytesFromWebSeeds").GetInt64())
            .Should().BeGreaterThanOrEqualTo(bytes.Length, "only swarm fetches are seeded: {0}", status);
    }

    private async Task<byte[]> OriginNarAsync(string hash)
    {
        var info = NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(CacheDir, hash + ".narinfo")));
        return await File.ReadAllBytesAsync(Path.Combine(CacheDir, info.Url));
    }

    /// <summary>Polls opentracker's scrape until it counts <paramref name="seeders"/> for the magnet's truncated v2 hash.</summary>
    private static async Task WaitForAsync(OpenTracker tracker, MagnetLink magnet, int seeders)
    {
        var deadline = Stopwatch.StartNew();
        int seen;
        while ((seen = await SeedersAsync(tracker, magnet.InfoHashV2!.Value[..20])) != seeders)
        {
            if (deadline.Elapsed > TrackerBound)
            {
                throw new TimeoutException($"opentracker counts {seen} seeders, not {seeders}: {tracker.Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The <c>complete</c> count of opentracker's bencoded scrape reply for one 20-byte hash.</summary>
    private static async Task<int> SeedersAsync(OpenTracker tracker, ReadOnlyMemory<byte> hash)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var escaped = string.Concat(hash.ToArray().Select(b => $"%{b:X2}"));
        var body = Encoding.Latin1.GetString(await http.GetByteArrayAsync($"http://127.0.0.1:{tracker.Port}/scrape?info_hash={escaped}"));
        var at = body.IndexOf("8:completei", StringComparison.Ordinal);
        if (at < 0) return 0; // a hash nobody announced yet is not in the reply
        var start = at + "8:completei".Length;
        return int.Parse(body[start..body.IndexOf('e', start)], CultureInfo.InvariantCulture);
    }
}
