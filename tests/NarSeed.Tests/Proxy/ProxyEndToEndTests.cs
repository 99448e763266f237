using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.Substitutes.Tests;
using NarSeed.Tests.EndToEnd;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// `narseed proxy` with real parts only, all on 127.0.0.1: real Nix 2.8 builds and signs a closure (input-addressed
/// env with references, xz), nginx-light is the origin, the NarSeed node mirrors and seeds it, real libtorrent seeds
/// it too; real `nix copy --from` the proxy with require-sigs and only the test's key. The proxy's counters say where
/// the bytes came from.
/// </summary>
[Collection(NarSeed.Tests.Support.TimingSensitiveCollection.Name)]
public sealed class ProxyEndToEndTests(RealNixCache nix, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<RealNixCache>, IDisposable
{
    private const string Compression = "xz";
    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NixTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new("narseed-proxy-e2e-");

    public void Dispose() => _dir.Dispose();

    private string CacheDir => nix.CacheDir(Compression);

    private KeyValuePair<string, string?> TrustedKey => new("TrustedKeys:0", nix.PublicKey);

    /// <summary>The origin narinfos of the env's closure (env, its references, theirs…).</summary>
    private List<NixNarInfo> Closure()
    {
        var result = new List<NixNarInfo>();
        var queue = new Queue<string>([Path.GetFileName(nix.EnvPath)[..32]]);
        var seen = new HashSet<string>();
        while (queue.TryDequeue(out var hash))
        {
            if (!seen.Add(hash)) continue;
            var info = NixNarInfo.Parse(File.ReadAllText(Path.Combine(CacheDir, hash + ".narinfo")));
            result.Add(info);
            foreach (var reference in info.References) queue.Enqueue(reference.HashPart);
        }
        return result;
    }

    private async Task CopyAsync(InProcessProxy proxy, string name)
    {
        var destination = _dir.Combine("copy-" + name);
        var copy = await nix.TryNix("nix", ["copy", "--from", proxy.BaseUrl, "--to", destination,
            "--option", "trusted-public-keys", nix.PublicKey, "--option", "require-sigs", "true", nix.EnvPath], NixTimeout);
        copy.ExitCode.Should().Be(0, copy.StandardError);
        Directory.Exists(Path.Combine(destination, nix.EnvPath.TrimStart('/'))).Should().BeTrue();
    }

    private static long Total(JsonElement status, string counter) => status.GetProperty("totals").GetProperty(counter).GetInt64();

    /// <summary>
    /// Each nar of the closure was fetched once (the latest record for it) from <paramref name="source"/>, and
    /// <paramref name="check"/> holds for its per-fetch counters and its FileSize.
    /// </summary>
    private static void EachFetch(JsonElement status, List<NixNarInfo> closure, string source, Action<JsonElement, long> check)
    {
        var recent = status.GetProperty("recent").EnumerateArray().ToList();
        foreach (var info in closure)
        {
            var fetch = recent.Last(f => f.GetProperty("hashPart").GetString() == info.StorePath.HashPart);
            fetch.GetProperty("source").GetString().Should().Be(source, fetch.ToString());
            fetch.GetProperty("bytesSent").GetInt64().Should().Be(info.FileSize!.Value, fetch.ToString());
            check(fetch, info.FileSize!.Value);
        }
    }

    private static long Counter(JsonElement fetch, string name) => fetch.GetProperty(name).GetInt64();

    private Task<InProcessNode> StartNodeAsync(string name, NginxOrigin origin, params KeyValuePair<string, string?>[] extra) =>
        InProcessNode.StartAsync(Directory.CreateDirectory(_dir.Combine(name)).FullName,
        [
            new("Origins:0", origin.BaseUrl), TrustedKey, new("Roots:0", nix.EnvPath), new("Roots:1", nix.NotePath),
            new("Mirror:RetryBackoff", "00:00:00.2"), .. extra,
        ]);

    [Fact]
    public async Task B_without_peers_the_origin_carries_every_nar_and_a_second_copy_comes_from_the_cache()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("b"), new("Upstreams:0", origin.BaseUrl), TrustedKey);
        var closure = Closure();
        closure.Count.Should().BeGreaterThanOrEqualTo(2, "the env has references");
        var bytes = closure.Sum(i => i.FileSize!.Value);

        await CopyAsync(proxy, "b1");
        var status = await proxy.StatusAfterFetchesAsync(closure.Count);
        Total(status, "bytesFromOrigins").Should().Be(bytes, status.ToString());
        Total(status, "bytesFromPeers").Should().Be(0);
        Total(status, "bytesFromWebSeeds").Should().Be(0);
        Total(status, "fetches").Should().Be(closure.Count);
        Total(status, "failedFetches").Should().Be(0);
        proxy.Cache.Count.Should().Be(closure.Count, "every fetched nar matched its FileHash");
        EachFetch(status, closure, "Origin", (fetch, size) =>
        {
            Counter(fetch, "bytesFromOrigin").Should().Be(size, fetch.ToString());
            (Counter(fetch, "bytesFromPeers") + Counter(fetch, "bytesFromWebSeeds") + Counter(fetch, "bytesFromCache")).Should().Be(0);
        });

        await CopyAsync(proxy, "b2");
        status = await proxy.StatusAfterFetchesAsync(2 * closure.Count);
        Total(status, "bytesFromCache").Should().Be(bytes, status.ToString());
        Total(status, "bytesFromOrigins").Should().Be(bytes, "nothing was fetched twice");
        EachFetch(status, closure, "Cache", (fetch, size) =>
        {
            Counter(fetch, "bytesFromCache").Should().Be(size, fetch.ToString());
            (Counter(fetch, "bytesFromPeers") + Counter(fetch, "bytesFromWebSeeds") + Counter(fetch, "bytesFromOrigin")).Should().Be(0);
        });
    }

    [Fact]
    public async Task A_swarm_only_a_node_and_libtorrent_carry_every_nar_while_the_origin_is_down_and_fetched_nars_are_seeded()
    {
        var origin = await NginxOrigin.StartAsync(CacheDir);
        await using var node = await StartNodeAsync("a-node", origin);
        await node.WaitForPassesAsync(1, MirrorTimeout);
        var closure = Closure();

        // libtorrent seeds the same torrents (the node's .torrent files) from the origin's nar files.
        var ltData = _dir.Combine("a-lt", "data");
        Directory.CreateDirectory(ltData);
        var torrentFiles = new List<string>();
        foreach (var info in closure)
        {
            var bytes = await node.Http.GetByteArrayAsync(info.StorePath.HashPart + ".torrent");
            var torrent = TorrentReader.Read(bytes);
            var file = _dir.Combine("a-lt", info.StorePath.HashPart + ".torrent");
            await File.WriteAllBytesAsync(file, bytes);
            torrentFiles.Add(file);
            File.Copy(Path.Combine(CacheDir, info.Url), Path.Combine(ltData, torrent.Name));
        }
        await using var lt = await LibtorrentSeeder.StartAsync(ltData, torrentFiles, TimeSpan.FromSeconds(120));
        await origin.DisposeAsync();
        (await FluentActions.Awaiting(() => new HttpClient().GetAsync(origin.BaseUrl + "/nix-cache-info"))
            .Should().ThrowAsync<HttpRequestException>()).And.Should().NotBeNull("the origin is down");

        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("a"), new("Upstreams:0", node.BaseUrl), TrustedKey,
            new("Peers:0", lt.EndPoint.ToString()), new("SeedAfterFetch", "00:02:00"));
        await CopyAsync(proxy, "a");
        var status = await proxy.StatusAfterFetchesAsync(closure.Count);
        var total = closure.Sum(i => i.FileSize!.Value);
        Total(status, "bytesFromPeers").Should().Be(total, status.ToString());
        Total(status, "bytesFromOrigins").Should().Be(0);
        Total(status, "bytesFromWebSeeds").Should().Be(0);
        Total(status, "failedFetches").Should().Be(0);
        EachFetch(status, closure, "Swarm", (fetch, size) =>
        {
            Counter(fetch, "bytesFromPeers").Should().Be(size, fetch.ToString());
            (Counter(fetch, "bytesFromWebSeeds") + Counter(fetch, "bytesFromOrigin") + Counter(fetch, "bytesFromCache")).Should().Be(0);
        });

        // Seed-after-fetch: real libtorrent fetches the largest nar from the proxy alone (x.pe = the proxy's port).
        var deadline = Stopwatch.StartNew();
        while (proxy.Seeder.Count < closure.Count && deadline.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        proxy.Seeder.Count.Should().Be(closure.Count);
        var largest = closure.MaxBy(i => i.FileSize)!;
        var served = NixNarInfo.Parse(await proxy.Http.GetStringAsync(largest.StorePath.HashPart + ".narinfo"));
        var magnet = MagnetLink.Parse(served.GetExtraField("Magnet")!);
        var fromProxy = new MagnetLink
        {
            InfoHashV2 = magnet.InfoHashV2, DisplayName = magnet.DisplayName, ExactLength = magnet.ExactLength,
            Peers = [new IPEndPoint(IPAddress.Loopback, proxy.Seeder.Port!.Value)],
        };
        var save = _dir.Combine("a-leech");
        Directory.CreateDirectory(save);
        var leech = await LibtorrentMagnet.DownloadAsync(fromProxy.ToString(), save, TimeSpan.FromSeconds(40));
        leech["seeding"]!.GetValue<bool>().Should().BeTrue(leech.ToJsonString());
        (await File.ReadAllBytesAsync(Path.Combine(save, magnet.DisplayName!)))
            .Should().Equal(await File.ReadAllBytesAsync(Path.Combine(CacheDir, largest.Url)));
        proxy.Seeder.BytesUploaded.Should().BeGreaterThan(0);

        var report = await lt.StopAsync();
        report["seeding"]!.GetValue<bool>().Should().BeTrue(report.ToJsonString());
        // Which of the two peers sent more varies from run to run; together they sent everything (asserted above).
        output.WriteLine($"proxy: {status}; libtorrent seeder: {report.ToJsonString()}; node uploaded {node.Seeding.Engine!.BytesUploaded}");
    }

    [Fact]
    public async Task C_a_peer_sending_corrupt_data_is_banned_and_the_copy_still_succeeds()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        // The corrupt peer is the one the node advertises in x.pe; the good bytes come from the web seed (the origin).
        await using var corrupt = new SeedEngine(new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback] });
        await corrupt.StartAsync();
        await using var node = await StartNodeAsync("c-node", origin, new KeyValuePair<string, string?>(
            "BitTorrent:PublicAddress", $"127.0.0.1:{corrupt.Port}"));
        await node.WaitForPassesAsync(1, MirrorTimeout);
        var closure = Closure();
        foreach (var info in closure)
        {
            var torrent = TorrentReader.Read(await node.Http.GetByteArrayAsync(info.StorePath.HashPart + ".torrent"));
            var bad = _dir.Combine("c-corrupt-" + torrent.Name);
            var data = await File.ReadAllBytesAsync(Path.Combine(CacheDir, info.Url));
            for (long offset = 0; offset < data.Length; offset += torrent.PieceLength) data[offset] ^= 0xFF;
            await File.WriteAllBytesAsync(bad, data);
            corrupt.Register(SeedTorrent.FromTorrentInfo(torrent, bad));
        }

        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("c"), new("Upstreams:0", node.BaseUrl), TrustedKey);
        await CopyAsync(proxy, "c");
        var status = await proxy.StatusAfterFetchesAsync(closure.Count);
        Total(status, "peersBanned").Should().Be(closure.Count, status.ToString());
        Total(status, "bytesFromPeers").Should().Be(0);
        (Total(status, "bytesFromWebSeeds") + Total(status, "bytesFromOrigins")).Should().Be(closure.Sum(i => i.FileSize!.Value));
        Total(status, "bytesFromWebSeeds").Should().BeGreaterThan(0, "the swarm fetch went on with the web seed");
        corrupt.BytesUploaded.Should().BeGreaterThan(0, "the corrupt peer did send its data");
        EachFetch(status, closure, "Swarm", (fetch, size) =>
        {
            Counter(fetch, "peersBanned").Should().Be(1, fetch.ToString());
            Counter(fetch, "bytesFromPeers").Should().Be(0);
            Counter(fetch, "bytesFromWebSeeds").Should().Be(size, "the web seed carried the nar after the ban");
        });
    }

    [Fact]
    public async Task D_when_no_peer_answers_in_time_the_origin_carries_the_nar()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        // The magnets name a peer nobody listens on: no metadata, no piece, so the swarm deadline passes.
        var dead = FreePort.Tcp();
        await using var node = await StartNodeAsync("d-node", origin, new KeyValuePair<string, string?>(
            "BitTorrent:PublicAddress", $"127.0.0.1:{dead}"));
        await node.WaitForPassesAsync(1, MirrorTimeout);
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("d"), new("Upstreams:0", node.BaseUrl), TrustedKey,
            new("SwarmDeadline", "00:00:01"));
        await CopyAsync(proxy, "d");
        var status = await proxy.StatusAfterFetchesAsync(Closure().Count);
        Total(status, "bytesFromOrigins").Should().Be(Closure().Sum(i => i.FileSize!.Value), status.ToString());
        Total(status, "bytesFromPeers").Should().Be(0);
        Total(status, "failedFetches").Should().Be(0);
        EachFetch(status, Closure(), "Origin", (fetch, size) => Counter(fetch, "bytesFromOrigin").Should().Be(size, fetch.ToString()));
    }

    [Fact]
    public async Task When_every_source_fails_the_nar_request_is_a_clean_404_without_a_byte()
    {
        // An origin with the narinfos but without the nar files.
        var broken = _dir.Combine("broken-origin");
        Directory.CreateDirectory(broken);
        foreach (var file in Directory.GetFiles(CacheDir)) File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
        await using var origin = await NginxOrigin.StartAsync(broken);
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("fail"), new("Upstreams:0", origin.BaseUrl), TrustedKey);
        var env = Path.GetFileName(nix.EnvPath)[..32];
        var served = NixNarInfo.Parse(await proxy.Http.GetStringAsync(env + ".narinfo"));
        var clock = Stopwatch.StartNew();
        var response = await proxy.Http.GetAsync(served.Url);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Be("Not Found\n");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        var status = await proxy.StatusAfterFetchesAsync(1);
        Total(status, "failedFetches").Should().Be(1);
        Total(status, "bytesFromOrigins").Should().Be(0);
    }

    [Fact]
    public async Task A_path_nobody_has_is_a_404_within_a_second_even_with_an_upstream_that_hangs()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        using var hanging = new TcpListener(IPAddress.Loopback, 0);
        hanging.Start(); // accepts into the backlog and never answers
        var hangingUrl = $"http://127.0.0.1:{((IPEndPoint)hanging.LocalEndpoint).Port}";
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("404"),
            new("Upstreams:0", hangingUrl), new("Upstreams:1", origin.BaseUrl), TrustedKey);

        var missing = new string('z', 32);
        foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get })
        {
            var clock = Stopwatch.StartNew();
            var response = await proxy.Http.SendAsync(new HttpRequestMessage(method, missing + ".narinfo"));
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
        (await proxy.Http.GetAsync("nar/" + missing + ".nar.xz")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await proxy.Http.GetAsync("not-a-hash.narinfo")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        // A path the origin has is found although the other upstream hangs; its URL points at the proxy and the
        // origin's signature still verifies (URL is not signed).
        var env = Path.GetFileName(nix.EnvPath)[..32];
        var served = NixNarInfo.Parse(await proxy.Http.GetStringAsync(env + ".narinfo"));
        served.Url.Should().Be($"nar/{env}.nar.xz");
        NixSignatureVerifier.Verify(served, [NixPublicKey.Parse(nix.PublicKey)]).Verdict.Should().Be(SignatureVerdict.Valid);
        var status = await proxy.StatusAsync();
        Total(status, "narInfoMisses").Should().Be(2);
        Total(status, "narInfoHits").Should().Be(1);
    }

    [Fact]
    public async Task A_narinfo_signed_by_no_trusted_key_is_not_served()
    {
        await using var origin = await NginxOrigin.StartAsync(CacheDir);
        var other = NixSecretKey.Generate("someone-else-1").PublicKey.ToString();
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("untrusted"),
            new("Upstreams:0", origin.BaseUrl), new("TrustedKeys:0", other));
        var env = Path.GetFileName(nix.EnvPath)[..32];
        (await proxy.Http.GetAsync(env + ".narinfo")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await proxy.Http.GetAsync($"nar/{env}.nar.xz")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
