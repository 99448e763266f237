using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.Hosting;
using NarSeed.Mirror;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// Narinfo serving: wrk against the node's <c>/&lt;hash&gt;.narinfo</c> (extended with Magnet, URL rewritten) versus
/// nginx serving the very same bytes as static files, same run, same wrk settings, random hashes from the set.
/// Goal (issue 6): at least 0.8x nginx's requests per second and a p99 of at most 5 ms.
/// </summary>
public sealed partial class NarInfoServingBenchmark : IBenchmark
{
    private const string WrkScript = """
        -- Random narinfo of the set per request (wrk's Lua API).
        local hashes = {}
        for line in io.lines(os.getenv("NARSEED_HASHES")) do hashes[#hashes + 1] = line end
        math.randomseed(7)
        request = function()
          return wrk.format("GET", "/" .. hashes[math.random(#hashes)] .. ".narinfo")
        end
        """;

    public string Name => "narinfo-serving";

    public string Description => "wrk rps and p99 of the node's narinfos vs nginx static files [paths=2000 seconds=10 connections=64]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var paths = arguments.Count > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 2000;
        var seconds = arguments.Count > 1 ? int.Parse(arguments[1], CultureInfo.InvariantCulture) : 10;
        var connections = arguments.Count > 2 ? int.Parse(arguments[2], CultureInfo.InvariantCulture) : 64;
        var wrk = ExternalTool.Require("wrk");
        using var dir = new TempDirectory("narseed-bench-narinfo-");
        var cache = await SyntheticNixCache.CreateAsync(dir.Combine("cache"), paths, 4096);
        await using var origin = await BenchNginx.StartAsync(cache.Directory, 1);

        var httpPort = FreePort.Tcp();
        await File.WriteAllTextAsync(dir.Combine("config.json"), "{}", cancellationToken);
        await File.WriteAllLinesAsync(dir.Combine("roots"), cache.StorePaths, cancellationToken);
        KeyValuePair<string, string?>[] settings =
        [
            new("State", dir.Combine("state")), new("Http", $"127.0.0.1:{httpPort}"),
            new("BitTorrent:Port", FreePort.Tcp().ToString(CultureInfo.InvariantCulture)),
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", cache.PublicKey), new("Roots:0", dir.Combine("roots")),
            new("Mirror:Interval", "10:00:00"),
        ];
        var configuration = NodeConfiguration.Build(dir.Combine("config.json"), settings, new Hashtable(), dir.Path);
        await using var app = NodeHost.Build(configuration, NodeServices.LoadOptions(configuration), new SystemdNotifier(null));
        await app.StartAsync(cancellationToken);
        var progress = app.Services.GetRequiredService<MirrorProgress>();
        while (progress.PassesCompleted < 1) await Task.Delay(20, cancellationToken);
        if (progress.Mirrored != paths) throw new InvalidOperationException($"mirrored {progress.Mirrored} of {paths}");

        // nginx serves the node's own narinfos as static files: same bytes on both sides.
        var hashes = cache.StorePaths.Select(p => Path.GetFileName(p)[..32]).ToList();
        var staticDir = dir.Combine("static");
        Directory.CreateDirectory(staticDir);
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") })
        {
            foreach (var hash in hashes)
            {
                await File.WriteAllBytesAsync(Path.Combine(staticDir, hash + ".narinfo"),
                    await http.GetByteArrayAsync(hash + ".narinfo", cancellationToken), cancellationToken);
            }
        }
        await using var nginx = await BenchNginx.StartAsync(staticDir, Environment.ProcessorCount);
        await File.WriteAllLinesAsync(dir.Combine("hashes"), hashes, cancellationToken);
        await File.WriteAllTextAsync(dir.Combine("random.lua"), WrkScript, cancellationToken);

        async Task<(double Rps, double P99Ms)> Wrk(string baseUrl)
        {
            var result = await ProcessRunner.RunAsync("sh",
            [
                "-c", $"NARSEED_HASHES={dir.Combine("hashes")} {wrk} -t2 -c{connections} -d{seconds}s --latency " +
                      $"-s {dir.Combine("random.lua")} {baseUrl}",
            ], TimeSpan.FromSeconds(seconds + 30), cancellationToken: cancellationToken);
            result.EnsureSuccess("wrk");
            var output = result.StandardOutput;
            if (output.Contains("Non-2xx", StringComparison.Ordinal)) throw new InvalidOperationException(output);
            var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var p99 = P99().Match(output);
            var value = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture);
            var ms = p99.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value };
            return (rps, ms);
        }

        await Wrk($"http://127.0.0.1:{httpPort}"); // warm-up (JIT, narinfo cache)
        var nginxResult = await Wrk(nginx.BaseUrl);
        var nodeResult = await Wrk($"http://127.0.0.1:{httpPort}");
        Console.WriteLine($"{paths} narinfos, wrk -t2 -c{connections} -d{seconds}s, random hash per request");
        Console.WriteLine($"nginx static ({Environment.ProcessorCount} workers): {nginxResult.Rps,10:F0} req/s  p99 {nginxResult.P99Ms:F2} ms");
        Console.WriteLine($"node:                     {nodeResult.Rps,10:F0} req/s  p99 {nodeResult.P99Ms:F2} ms");
        Console.WriteLine($"ratio node/nginx: {nodeResult.Rps / nginxResult.Rps:F2}x (goal >= 0.8x, p99 <= 5 ms)");
        await app.StopAsync(cancellationToken);
        return 0;
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex P99();
}
