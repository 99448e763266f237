using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Hosting;
using NarSeed.Proxy;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.Substitutes.StorePaths;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// `narseed proxy` against the origin, on 127.0.0.1 and tmpfs. A signed cache of N nars (200 MiB in all, Compression
/// none) is served by nginx capped at R bytes/s per connection (<c>limit_rate</c>); four NarSeed seeders each capped at
/// R hold the same nars. A client does what Nix does per path, one path after the other: GET the narinfo, GET the
/// nar. Times: straight from nginx; through the proxy with magnets (peers + nginx as web seed); through the proxy
/// with narinfos without magnets (no peers: the origin carries everything). The proxy's cache is off (size 0).
/// </summary>
public sealed class ProxyBenchmark : IBenchmark
{
    public string Name => "proxy";

    public string Description => "200 MiB closure: proxy with 4 seeders at R vs origin at R; proxy without peers vs origin. [--size-mib N] [--nars N] [--rate-mib R] [--rounds N]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var sizeMiB = BenchArguments.Int(arguments, "--size-mib", 200);
        var nars = BenchArguments.Int(arguments, "--nars", 4);
        var rateMiB = BenchArguments.Int(arguments, "--rate-mib", 16);
        var rounds = BenchArguments.Int(arguments, "--rounds", 1);
        long rate = (long)rateMiB << 20;
        using var directory = new BenchDirectory("proxy");
        var key = NixSecretKey.Generate("narseed-bench-1");

        // Nar files and their torrents, four rate-capped seeders.
        var narDir = Directory.CreateDirectory(directory.Combine("origin-swarm/nar")).FullName;
        Directory.CreateDirectory(directory.Combine("origin-plain"));
        File.CreateSymbolicLink(directory.Combine("origin-plain/nar"), narDir);
        var seeders = new List<SeedEngine>();
        for (var i = 0; i < 4; i++)
        {
            var engine = new SeedEngine(new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback], UploadRateLimit = rate });
            await engine.StartAsync(cancellationToken);
            seeders.Add(engine);
        }
        await using var origin = await NginxServer.StartAsync(directory.Combine("origin-swarm"), rate.ToString(CultureInfo.InvariantCulture));
        await using var plainOrigin = await NginxServer.StartAsync(directory.Combine("origin-plain"), rate.ToString(CultureInfo.InvariantCulture));
        var hashParts = new List<string>();
        long total = 0;
        for (var i = 0; i < nars; i++)
        {
            var length = ((long)sizeMiB << 20) / nars;
            var hashPart = Nix32.Encode(RandomNumberGenerator.GetBytes(20));
            var file = Path.Combine(narDir, hashPart + ".nar");
            BenchDirectory.WriteRandomFile(file, length);
            byte[] digest;
            await using (var stream = File.OpenRead(file)) digest = await SHA256.HashDataAsync(stream, cancellationToken);
            var hash = new NixHash(HashAlgorithmKind.Sha256, digest).ToNix32String();
            var torrent = await TorrentBuilder.CreateAsync(file, new TorrentCreateOptions(), cancellationToken);
            foreach (var engine in seeders) engine.Register(SeedTorrent.FromTorrentInfo(torrent, file));
            var text = $"StorePath: /nix/store/{hashPart}-bench-{i}\nURL: nar/{hashPart}.nar\nCompression: none\n" +
                       $"FileHash: {hash}\nFileSize: {length}\nNarHash: {hash}\nNarSize: {length}\nReferences: \n";
            var info = NixNarInfo.Parse(text);
            info = info.WithSignature(key.Sign(info.Fingerprint()));
            await File.WriteAllTextAsync(directory.Combine($"origin-plain/{hashPart}.narinfo"), info.Text, cancellationToken);
            var magnet = new MagnetLink
            {
                InfoHashV2 = torrent.InfoHashV2, DisplayName = torrent.Name, ExactLength = torrent.Length,
                WebSeeds = [origin.BaseUrl + "nar/" + hashPart + ".nar"],
                Peers = seeders.Select(s => (EndPoint)new IPEndPoint(IPAddress.Loopback, s.Port)).ToList(),
            };
            await File.WriteAllTextAsync(directory.Combine($"origin-swarm/{hashPart}.narinfo"),
                info.WithField("Magnet", magnet.ToString()).Text, cancellationToken);
            hashParts.Add(hashPart);
            total += length;
        }
        Console.WriteLine($"{nars} nars, {total >> 20} MiB; origin and each of 4 seeders capped at {rateMiB} MiB/s; {rounds} round(s)");

        await using var swarmProxy = await StartProxyAsync(directory.Combine("proxy-swarm"), origin.BaseUrl, key);
        await using var plainProxy = await StartProxyAsync(directory.Combine("proxy-plain"), plainOrigin.BaseUrl, key);
        var direct = new List<double>();
        var withPeers = new List<double>();
        var noPeers = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            direct.Add(await FetchClosureAsync(plainOrigin.BaseUrl, hashParts, total, cancellationToken));
            withPeers.Add(await FetchClosureAsync(swarmProxy.Url, hashParts, total, cancellationToken));
            noPeers.Add(await FetchClosureAsync(plainProxy.Url, hashParts, total, cancellationToken));
            Console.WriteLine($"round {round + 1}: origin {BenchArguments.Rate(total, direct[^1])}, " +
                              $"proxy+4 seeders {BenchArguments.Rate(total, withPeers[^1])}, proxy no peers {BenchArguments.Rate(total, noPeers[^1])}");
        }
        // A fetch is counted just after its last byte went out: wait (bounded) until every one is.
        var expected = 2L * nars * rounds;
        for (var wait = 0; wait < 250 && swarmProxy.Counters.Fetches + plainProxy.Counters.Fetches < expected; wait++)
        {
            await Task.Delay(20, cancellationToken);
        }
        var swarm = swarmProxy.Counters.Snapshot();
        Console.WriteLine($"proxy+seeders counters: peers {swarm.BytesFromPeers}, web seeds {swarm.BytesFromWebSeeds}, origin {swarm.BytesFromOrigins}");
        Console.WriteLine($"proxy no peers counters: origin {plainProxy.Counters.Snapshot().BytesFromOrigins}");
        var median = BenchArguments.Median(direct);
        Console.WriteLine($"speed-up proxy+4 seeders vs origin: {median / BenchArguments.Median(withPeers):F2}x (goal >= 3x)");
        Console.WriteLine($"time proxy without peers / origin: {BenchArguments.Median(noPeers) / median:F3}x (goal <= 1.1x)");
        foreach (var engine in seeders) await engine.DisposeAsync();
        return 0;
    }

    /// <summary>One path after the other, as a client would: narinfo, then its nar; every nar byte counted.</summary>
    private static async Task<double> FetchClosureAsync(string baseUrl, IReadOnlyList<string> hashParts, long total,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(10) };
        var clock = Stopwatch.StartNew();
        long received = 0;
        var buffer = new byte[256 * 1024];
        foreach (var hashPart in hashParts)
        {
            var info = NixNarInfo.Parse(await http.GetStringAsync(hashPart + ".narinfo", cancellationToken));
            await using var body = await http.GetStreamAsync(info.Url, cancellationToken);
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0) received += n;
        }
        if (received != total) throw new InvalidOperationException($"received {received} of {total} bytes from {baseUrl}");
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<RunningProxy> StartProxyAsync(string state, string upstream, NixSecretKey key)
    {
        // Port 0: the system picks it (no port chosen, released and raced for); read back after start.
        KeyValuePair<string, string?>[] settings =
        [
            new("Proxy:State", state), new("Proxy:Listen", "127.0.0.1:0"), new("Proxy:Upstreams:0", upstream),
            new("Proxy:TrustedKeys:0", key.PublicKey.ToString()), new("Proxy:CacheSize", "0"),
        ];
        Directory.CreateDirectory(state);
        await File.WriteAllTextAsync(Path.Combine(state, "config.json"), "{}");
        var configuration = NodeConfiguration.Build(Path.Combine(state, "config.json"), settings, new Hashtable(), state);
        var app = ProxyHost.Build(configuration, ProxyHost.LoadOptions(configuration));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningProxy(app, address.TrimEnd('/') + "/");
    }

    private sealed class RunningProxy(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url => url;

        public ProxyCounters Counters => (ProxyCounters)app.Services.GetService(typeof(ProxyCounters))!;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
