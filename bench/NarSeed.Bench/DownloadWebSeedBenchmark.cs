using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// 100 MiB from nginx as the only web seed (no peers), on 127.0.0.1 and tmpfs: NarSeed's downloader versus libtorrent
/// (BEP 19 url seed) versus a plain curl GET, alternating rounds in the same run. Each time is wall time from start to a
/// complete, verified file (curl verifies nothing).
/// </summary>
public sealed class DownloadWebSeedBenchmark : IBenchmark
{
    public string Name => "download-webseed";

    public string Description => "100 MiB from nginx as the only web seed: NarSeed vs libtorrent vs curl. [--size-mib N] [--rounds N]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var sizeMiB = BenchArguments.Int(arguments, "--size-mib", 100);
        var rounds = BenchArguments.Int(arguments, "--rounds", 3);
        using var directory = new BenchDirectory("download-webseed");
        var seedDir = Directory.CreateDirectory(directory.Combine("seed")).FullName;
        var data = Path.Combine(seedDir, "bench.bin");
        BenchDirectory.WriteRandomFile(data, (long)sizeMiB << 20);
        var torrent = await TorrentBuilder.CreateAsync(data, new TorrentCreateOptions(), cancellationToken);
        var torrentPath = directory.Combine("bench.torrent");
        await File.WriteAllBytesAsync(torrentPath, torrent.ToTorrentFile(), cancellationToken);
        var script = directory.Combine("lt.py");
        await File.WriteAllTextAsync(script, LibtorrentScript, cancellationToken);
        await using var nginx = await NginxServer.StartAsync(seedDir);
        var url = nginx.BaseUrl + "bench.bin";
        Console.WriteLine($"file {sizeMiB} MiB, piece length {torrent.PieceLength}; nginx {url}; {rounds} rounds each");

        var ours = new List<double>();
        var lt = new List<double>();
        var curl = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            ours.Add(await NarSeedRoundAsync(torrent, directory, url, cancellationToken));
            lt.Add(await LibtorrentRoundAsync(script, torrentPath, directory, url, cancellationToken));
            curl.Add(await CurlRoundAsync(directory, url, cancellationToken));
            Console.WriteLine($"round {round + 1}: NarSeed {BenchArguments.Rate(torrent.Length, ours[^1])}, " +
                              $"libtorrent {BenchArguments.Rate(torrent.Length, lt[^1])}, curl {BenchArguments.Rate(torrent.Length, curl[^1])}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"client",-12} {"best MB/s",10} {"median MB/s",12}");
        foreach (var (name, times) in new[] { ("NarSeed", ours), ("libtorrent", lt), ("curl", curl) })
        {
            Console.WriteLine($"{name,-12} {torrent.Length / times.Min() / 1e6,10:F0} {torrent.Length / BenchArguments.Median(times) / 1e6,12:F0}");
        }
        Console.WriteLine($"ratio NarSeed/libtorrent: best {lt.Min() / ours.Min():F2}x, median {BenchArguments.Median(lt) / BenchArguments.Median(ours):F2}x");
        Console.WriteLine($"ratio NarSeed/curl: best {curl.Min() / ours.Min():F2}x, median {BenchArguments.Median(curl) / BenchArguments.Median(ours):F2}x");
        return 0;
    }

    private static async Task<double> NarSeedRoundAsync(TorrentInfo torrent, BenchDirectory directory, string url, CancellationToken cancellationToken)
    {
        var output = directory.Fresh("narseed-out");
        var clock = Stopwatch.StartNew();
        await using var download = new TorrentDownload(torrent, new DownloadOptions { OutputDirectory = output, WebSeeds = [url] });
        var result = await download.RunAsync(cancellationToken);
        if (result.BytesFromWebSeeds != torrent.Length) throw new InvalidOperationException("NarSeed did not fetch the file from the web seed.");
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> LibtorrentRoundAsync(string script, string torrentPath, BenchDirectory directory, string url,
        CancellationToken cancellationToken)
    {
        var save = directory.Fresh("lt-out");
        await using var process = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython), [script, torrentPath, save, url]);
        var complete = await process.WaitForOutputLineAsync(l => l.StartsWith("COMPLETE ", StringComparison.Ordinal), TimeSpan.FromSeconds(600));
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken)).EnsureSuccess("libtorrent web-seed download");
        return JsonDocument.Parse(complete["COMPLETE ".Length..]).RootElement.GetProperty("seconds").GetDouble();
    }

    private static async Task<double> CurlRoundAsync(BenchDirectory directory, string url, CancellationToken cancellationToken)
    {
        var output = Path.Combine(directory.Fresh("curl-out"), "bench.bin");
        var clock = Stopwatch.StartNew();
        (await ProcessRunner.RunAsync(ExternalTool.Require("curl"), ["-sS", "-o", output, url], TimeSpan.FromSeconds(600)))
            .EnsureSuccess("curl");
        return clock.Elapsed.TotalSeconds;
    }

    // libtorrent fetching from a BEP 19 url seed only (no peers; no DHT/LSD/UPnP/NAT-PMP/uTP), timed from adding the
    // torrent (after the session is up) to seeding; prints COMPLETE {"seconds"}.
    private const string LibtorrentScript = """
        import json, sys, time
        import libtorrent as lt
        torrent, path, url = sys.argv[1], sys.argv[2], sys.argv[3]
        s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                        "enable_upnp": False, "enable_natpmp": False,
                        "enable_incoming_utp": False, "enable_outgoing_utp": False})
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(torrent)
        atp.save_path = path
        atp.url_seeds = [url]
        atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
        atp.flags &= ~lt.torrent_flags.auto_managed
        start = time.monotonic()
        h = s.add_torrent(atp)
        h.resume()
        while not h.status().is_seeding:
            if time.monotonic() - start > 600: sys.exit(2)
            time.sleep(0.005)
        print("COMPLETE " + json.dumps({"seconds": time.monotonic() - start}), flush=True)
        """;
}
