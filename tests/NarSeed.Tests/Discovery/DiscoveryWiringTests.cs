using System.Text;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Interop.Discovery;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Tests;
using NarSeed.Tests.EndToEnd;
using NarSeed.Tests.Proxy;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Discovery;

/// <summary>
/// The node and the proxy wired to peer discovery, with real parts only on 127.0.0.1: real Nix 2.8 builds and signs a
/// small cache, nginx-light serves it as the origin, Debian's opentracker is the only way peers learn of each other.
/// Magnets are stripped of x.pe and ws=, and libtorrent runs with DHT, LSD, UPnP, NAT-PMP and uTP off.
/// </summary>
public sealed class DiscoveryWiringTests(RealNixCache nix) : IClassFixture<RealNixCache>, IDisposable
{
    private const string Compression = "xz";
    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new("narseed-discovery-");

    public void Dispose() => _dir.Dispose();

    private string CacheDir => nix.CacheDir(Compression);

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];

    /// <summary>
    /// Mirrors the cache once without a tracker to learn the nars' v2 hashes (trackers live outside the info
    /// dictionary, so adding one later changes no hash), starts opentracker whitelisting them, then starts the node
    /// again on the same state with that tracker: every nar it restores must be announced.
    /// </summary>
    private async Task<(InProcessNode Node, OpenTracker Tracker)> StartNodeWithTrackerAsync(NginxOrigin origin,
        params KeyValuePair<string, string?>[] extra)
    {
        KeyValuePair<string, string?>[] settings =
        [
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey), new("Roots:0", nix.EnvPath),
            new("Roots:1", nix.NotePath), new("Mirror:RetryBackoff", "00:00:00.2"),
        ];
        List<string> hashes;
        await using (var first = await InProcessNode.StartAsync(_dir.Path, settings))
        {
            await first.WaitForPassesAsync(1, MirrorTimeout);
            first.Seeding.Count.Should().Be(3);
            hashes = first.Seeding.Seeded.Select(s => Convert.ToHexStringLower(s.SeedTorrent.InfoHashV2.AsSpan(0, 20))).ToList();
        }
        var tracker = await OpenTracker.StartAsync(hashes);
        var node = await InProcessNode.StartAsync(_dir.Path, [.. settings, new("BitTorrent:Trackers:0", tracker.HttpUrl.ToString()), .. extra]);
        node.Seeding.Count.Should().Be(3, "the catalog's ready nars are seeded on start");
        node.Seeding.Discovery.Should().NotBeNull();
        return (node, tracker);
    }

    /// <summary>Seeders opentracker counts for a 20-byte hash (from its bencoded scrape reply).</summary>
    private static async Task<int> SeedersAsync(OpenTracker tracker, ReadOnlyMemory<byte> hash)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var escaped = string.Concat(hash.ToArray().Select(b => $"%{b:X2}"));
        var body = Encoding.Latin1.GetString(await http.GetByteArrayAsync($"http://127.0.0.1:{tracker.Port}/scrape?info_hash={escaped}"));
        var at = body.IndexOf("8:completei", StringComparison.Ordinal);
        at.Should().BeGreaterThanOrEqualTo(0, "opentracker's scrape reply names the torrent: {0}", body);
        var start = at + "8:completei".Length;
        return int.Parse(body[start..body.IndexOf('e', start)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForSeedersAsync(OpenTracker tracker, ReadOnlyMemory<byte> hash, int expected)
    {
        var deadline = DateTime.UtcNow + Bound;
        int seen;
        while ((seen = await SeedersAsync(tracker, hash)) != expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"opentracker counts {seen} seeders, not {expected}: {tracker.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>The node's magnet for a nar with only its v2 hash, name, length and trackers: no x.pe, no ws=.</summary>
    private static MagnetLink TrackerOnly(MagnetLink magnet, IReadOnlyList<string> trackers) => new()
    {
        InfoHashV2 = magnet.InfoHashV2, DisplayName = magnet.DisplayName, ExactLength = magnet.ExactLength, Trackers = trackers,
    };

    [Fact]
    public async Task Node_announces_every_nar_and_libtorrent_finds_it_only_through_opentracker()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        // The node's defaults (LSD and PEX on); libtorrent's LSD is off, so only the tracker can introduce them.
        var (node, tracker) = await StartNodeWithTrackerAsync(origin, new KeyValuePair<string, string?>("BitTorrent:Lsd", "true"));
        await using var _ = tracker;
        var envHash = Hash(nix.EnvPath);
        var envMagnet = MagnetLink.Parse(NixNarInfo.Parse(await node.Http.GetStringAsync(envHash + ".narinfo")).GetExtraField("Magnet")!);
        var envKey = envMagnet.InfoHashV2!.Value[..20];
        try
        {
            // Every seeded nar is announced (event=started, left=0) under its truncated v2 hash.
            foreach (var seeded in node.Seeding.Seeded)
            {
                await WaitForSeedersAsync(tracker, seeded.SeedTorrent.InfoHashV2.AsMemory(0, 20), 1);
            }

            // The magnet carries the tracker (announce-list) and the info-hash is the tracker-less mirror's.
            var info = NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(CacheDir, envHash + ".narinfo")));
            var depHash = info.References.Select(r => r.HashPart).Single(h => h != envHash);
            var depMagnet = MagnetLink.Parse(NixNarInfo.Parse(await node.Http.GetStringAsync(depHash + ".narinfo")).GetExtraField("Magnet")!);
            depMagnet.Trackers.Should().Equal(tracker.HttpUrl.ToString());
            var leech = TrackerOnly(depMagnet, depMagnet.Trackers);
            leech.ToString().Should().NotContain("x.pe").And.NotContain("ws=");

            // libtorrent has nothing but the tracker: it must find the node there and get every byte from it.
            var save = _dir.Combine("lt");
            Directory.CreateDirectory(save);
            var uploadedBefore = node.Seeding.Engine!.BytesUploaded;
            var lt = await LibtorrentMagnet.DownloadAsync(leech.ToString(), save, TimeSpan.FromSeconds(40));
            lt["seeding"]!.GetValue<bool>().Should().BeTrue(lt.ToJsonString());
            var originNar = await File.ReadAllBytesAsync(Path.Combine(CacheDir,
                NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(CacheDir, depHash + ".narinfo"))).Url));
            (await File.ReadAllBytesAsync(Path.Combine(save, depMagnet.DisplayName!))).Should().Equal(originNar);
            (node.Seeding.Engine!.BytesUploaded - uploadedBefore).Should().BeGreaterThanOrEqualTo(originNar.Length,
                "the node, found through opentracker, was libtorrent's only source");
        }
        finally
        {
            await node.DisposeAsync();
        }

        // Shutdown sends stopped events: opentracker forgets the node as a seeder of the nar libtorrent never had.
        await WaitForSeedersAsync(tracker, envKey, 0);
    }

    [Fact]
    public async Task Proxy_fetches_a_closure_from_the_node_found_only_through_opentracker()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        var (node, tracker) = await StartNodeWithTrackerAsync(origin);
        await using var _ = tracker;
        await using var __ = node;

        // The proxy's upstream: the origin's narinfos (signatures intact: the fingerprint has no Magnet) with the
        // node's magnet stripped of x.pe, ws= and tr=, and no nar files, so the swarm is the only way to the bytes.
        var upstreamDir = _dir.Combine("upstream");
        Directory.CreateDirectory(upstreamDir);
        File.Copy(Path.Combine(CacheDir, "nix-cache-info"), Path.Combine(upstreamDir, "nix-cache-info"));
        var closure = new List<string>();
        var queue = new Queue<string>([Hash(nix.EnvPath)]);
        while (queue.TryDequeue(out var hash))
        {
            if (closure.Contains(hash)) continue;
            closure.Add(hash);
            var text = await File.ReadAllTextAsync(Path.Combine(CacheDir, hash + ".narinfo"));
            foreach (var reference in NixNarInfo.Parse(text).References) queue.Enqueue(reference.HashPart);
            var magnet = MagnetLink.Parse(NixNarInfo.Parse(await node.Http.GetStringAsync(hash + ".narinfo")).GetExtraField("Magnet")!);
            await File.WriteAllTextAsync(Path.Combine(upstreamDir, hash + ".narinfo"), text + $"Magnet: {TrackerOnly(magnet, [])}\n");
        }
        closure.Should().HaveCountGreaterThan(1, "the env has references");
        await using var upstream = await NginxOrigin.StartAsync(upstreamDir);

        // The tracker reaches the proxy only through its own configuration (Proxy:Trackers, --tracker).
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("proxy"),
            new("Upstreams:0", upstream.BaseUrl), new("TrustedKeys:0", nix.PublicKey),
            new("Trackers:0", tracker.HttpUrl.ToString()), new("SwarmDeadline", "00:00:20"), new("WebSeedDelay", "00:00:20"));
        var destination = _dir.Combine("copy");
        var copy = await nix.TryNix("nix", ["copy", "--from", proxy.BaseUrl, "--to", destination,
            "--option", "trusted-public-keys", nix.PublicKey, "--option", "require-sigs", "true", nix.EnvPath], TimeSpan.FromSeconds(90));
        copy.ExitCode.Should().Be(0, copy.StandardError);
        Directory.Exists(Path.Combine(destination, nix.EnvPath.TrimStart('/'))).Should().BeTrue();

        await proxy.StatusAfterFetchesAsync(closure.Count); // a fetch is counted just after its last byte went out
        proxy.Counters.Fetches.Should().Be(closure.Count);
        proxy.Counters.FailedFetches.Should().Be(0);
        proxy.Counters.BytesFromOrigins.Should().Be(0);
        proxy.Counters.BytesFromWebSeeds.Should().Be(0);
        proxy.Counters.BytesFromPeers.Should().BeGreaterThan(0);
        node.Seeding.Engine!.BytesUploaded.Should().BeGreaterThanOrEqualTo(proxy.Counters.BytesFromPeers);
        upstream.AccessLog.Should().NotContain("/nar/", "no nar was fetched from the upstream");
    }

    [Fact]
    public async Task A_dead_tracker_does_not_stop_the_node_from_mirroring_seeding_and_serving()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        var closed = FreePort.Tcp(); // nothing listens there: every announce fails and is retried with back-off
        await using var node = await InProcessNode.StartAsync(_dir.Path,
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey), new("Roots:0", nix.EnvPath),
            new("Roots:1", nix.NotePath), new("BitTorrent:Trackers:0", $"http://127.0.0.1:{closed}/announce"),
            new("BitTorrent:Trackers:1", $"udp://127.0.0.1:{closed}/announce"));
        await node.WaitForPassesAsync(1, MirrorTimeout);

        node.Seeding.Count.Should().Be(3);
        node.Seeding.Discovery!.Trackers.Should().NotBeNull();
        var envHash = Hash(nix.EnvPath);
        var info = NixNarInfo.Parse(await node.Http.GetStringAsync(envHash + ".narinfo"));
        (await node.Http.GetByteArrayAsync(info.Url)).Length.Should().Be((int)info.FileSize!.Value);
    }
}
