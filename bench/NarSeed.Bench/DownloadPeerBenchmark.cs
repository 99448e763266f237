using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// 1 GiB v2 torrent from one libtorrent seeder on 127.0.0.1 (tmpfs): NarSeed's downloader versus a libtorrent leecher,
/// alternating rounds in the same run. Both times run from the first payload byte to the last verified piece.
/// </summary>
public sealed class DownloadPeerBenchmark : IBenchmark
{
    public string Name => "download-peer";

    public string Description =>
        "1 GiB from a libtorrent seeder: NarSeed downloader vs libtorrent leecher. [--size-mib N] [--rounds N] [--depth REQUESTS]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var sizeMiB = BenchArguments.Int(arguments, "--size-mib", 1024);
        var rounds = BenchArguments.Int(arguments, "--rounds", 3);
        var depth = BenchArguments.Int(arguments, "--depth", DownloadOptions.DefaultRequestQueueDepth);
        using var directory = new BenchDirectory("download-peer");
        var seedDir = Directory.CreateDirectory(directory.Combine("seed")).FullName;
        var data = Path.Combine(seedDir, "bench.bin");
        BenchDirectory.WriteRandomFile(data, (long)sizeMiB << 20);
        var torrent = await TorrentBuilder.CreateAsync(data, new TorrentCreateOptions(), cancellationToken);
        var torrentPath = directory.Combine("bench.torrent");
        await File.WriteAllBytesAsync(torrentPath, torrent.ToTorrentFile(), cancellationToken);
        var script = directory.Combine("lt.py");
        await File.WriteAllTextAsync(script, LibtorrentScript, cancellationToken);
        Console.WriteLine($"file {sizeMiB} MiB, piece length {torrent.PieceLength}, {torrent.PieceCount} pieces; {rounds} rounds each");

        await using var seeder = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython), [script, "seed", torrentPath, seedDir],
            redirectInput: true);
        var line = await seeder.WaitForOutputLineAsync(l => l.StartsWith("SEEDING ", StringComparison.Ordinal), TimeSpan.FromSeconds(300));
        var seeding = line["SEEDING ".Length..].Split(' ');
        var port = int.Parse(seeding[0], CultureInfo.InvariantCulture);
        var theirCheck = double.Parse(seeding[1], CultureInfo.InvariantCulture);

        var ours = new List<double>();
        var theirs = new List<double>();
        var ourCpu = new List<double>();
        var theirCpu = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var (seconds, cpu) = await NarSeedRoundAsync(torrent, directory, port, depth, cancellationToken);
            ours.Add(seconds);
            ourCpu.Add(cpu);
            (seconds, cpu) = await LibtorrentRoundAsync(script, torrentPath, directory, port, cancellationToken);
            theirs.Add(seconds);
            theirCpu.Add(cpu);
            Console.WriteLine($"round {round + 1}: NarSeed {BenchArguments.Rate(torrent.Length, ours[^1])} ({ourCpu[^1]:F2} CPU s), " +
                              $"libtorrent {BenchArguments.Rate(torrent.Length, theirs[^1])} ({theirCpu[^1]:F2} CPU s)");
        }
        var ourCheck = await RecheckAsync(torrent, directory, port, cancellationToken);
        seeder.Process.StandardInput.Close();
        Console.WriteLine();
        Console.WriteLine($"{"downloader",-12} {"best MB/s",10} {"median MB/s",12} {"median CPU s",13}");
        Console.WriteLine($"{"NarSeed",-12} {torrent.Length / ours.Min() / 1e6,10:F0} {torrent.Length / BenchArguments.Median(ours) / 1e6,12:F0} {BenchArguments.Median(ourCpu),13:F2}");
        Console.WriteLine($"{"libtorrent",-12} {torrent.Length / theirs.Min() / 1e6,10:F0} {torrent.Length / BenchArguments.Median(theirs) / 1e6,12:F0} {BenchArguments.Median(theirCpu),13:F2}");
        Console.WriteLine($"throughput ratio NarSeed/libtorrent: best {theirs.Min() / ours.Min():F2}x, median {BenchArguments.Median(theirs) / BenchArguments.Median(ours):F2}x");
        Console.WriteLine($"check of a complete file on disk: NarSeed {ourCheck:F2} s (a second run into the same directory), " +
                          $"libtorrent {theirCheck:F2} s (its seeder's check at start)");
        return 0;
    }

    /// <summary>One NarSeed round: transfer seconds, and CPU seconds of this process over the whole round.</summary>
    private static async Task<(double Seconds, double Cpu)> NarSeedRoundAsync(TorrentInfo torrent, BenchDirectory directory, int port,
        int depth, CancellationToken cancellationToken)
    {
        var output = directory.Fresh("narseed-out");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await using var download = new TorrentDownload(torrent, new DownloadOptions
        {
            OutputDirectory = output, Peers = [new IPEndPoint(IPAddress.Loopback, port)], RequestQueueDepth = depth,
        });
        var run = download.RunAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        double first = -1;
        // Polls (1 ms) only until the first payload byte, so the harness costs the downloader nothing while it runs.
        while (!run.IsCompleted && first < 0)
        {
            if (download.BytesReceived > 0) first = clock.Elapsed.TotalSeconds;
            else await Task.WhenAny(run, Task.Delay(1, cancellationToken));
        }
        await run;
        var seconds = clock.Elapsed.TotalSeconds - Math.Max(first, 0);
        return (seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>
    /// A second NarSeed run into the directory holding the last round's finished file: it hash-checks the file and
    /// finishes without fetching anything. Returns its seconds.
    /// </summary>
    private static async Task<double> RecheckAsync(TorrentInfo torrent, BenchDirectory directory, int port, CancellationToken cancellationToken)
    {
        await using var download = new TorrentDownload(torrent, new DownloadOptions
        {
            OutputDirectory = directory.Combine("narseed-out"), Peers = [new IPEndPoint(IPAddress.Loopback, port)],
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await download.RunAsync(cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"NarSeed check: {seconds:F2} s, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} CPU s");
        if (result.BytesAlreadyOnDisk != torrent.Length || download.BytesReceived != 0)
        {
            throw new InvalidOperationException($"The check fetched {download.BytesReceived} bytes.");
        }
        return seconds;
    }

    /// <summary>One libtorrent round: transfer seconds, and the leecher's CPU seconds (its own getrusage).</summary>
    private static async Task<(double Seconds, double Cpu)> LibtorrentRoundAsync(string script, string torrentPath, BenchDirectory directory, int port,
        CancellationToken cancellationToken)
    {
        var save = directory.Fresh("lt-out");
        await using var leecher = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython),
            [script, "leech", torrentPath, save, port.ToString(CultureInfo.InvariantCulture)]);
        var complete = await leecher.WaitForOutputLineAsync(l => l.StartsWith("COMPLETE ", StringComparison.Ordinal), TimeSpan.FromSeconds(600));
        (await leecher.WaitForExitAsync(TimeSpan.FromSeconds(60), cancellationToken)).EnsureSuccess("the libtorrent leecher");
        var report = JsonDocument.Parse(complete["COMPLETE ".Length..]).RootElement;
        return (report.GetProperty("transfer_seconds").GetDouble(), report.GetProperty("cpu_seconds").GetDouble());
    }

    // libtorrent on loopback as real-peers.md prescribes (no DHT/LSD/UPnP/NAT-PMP/uTP, many connections per IP).
    //   seed TORRENT DIR        -> checks the data, prints "SEEDING <port> <check seconds>", seeds until stdin closes
    //   leech TORRENT DIR PORT  -> prints COMPLETE {"transfer_seconds" (first payload byte to seeding), "cpu_seconds"}, exits 0
    private const string LibtorrentScript = """
        import json, resource, sys, time
        import libtorrent as lt
        mode, torrent, path = sys.argv[1], sys.argv[2], sys.argv[3]
        s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                        "enable_upnp": False, "enable_natpmp": False, "allow_multiple_connections_per_ip": True,
                        "enable_incoming_utp": False, "enable_outgoing_utp": False})
        s.set_ip_filter(lt.ip_filter())
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(torrent)
        atp.save_path = path
        atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
        atp.flags &= ~lt.torrent_flags.auto_managed
        added = time.monotonic()
        h = s.add_torrent(atp)
        h.resume()
        if mode == "seed":
            while not h.status().is_seeding:
                time.sleep(0.005)
            print("SEEDING %d %.3f" % (s.listen_port(), time.monotonic() - added), flush=True)
            sys.stdin.read()
            sys.exit(0)
        port = int(sys.argv[4])
        start = time.monotonic(); first = None; last_dial = 0
        while True:
            st = h.status()
            now = time.monotonic()
            if first is None and st.total_payload_download > 0: first = now
            if st.is_seeding: break
            if st.num_peers == 0 and now - last_dial > 1:
                last_dial = now; h.connect_peer(("127.0.0.1", port))
            if now - start > 600: sys.exit(2)
            time.sleep(0.005)
        ru = resource.getrusage(resource.RUSAGE_SELF)
        print("COMPLETE " + json.dumps({"transfer_seconds": now - first, "cpu_seconds": ru.ru_utime + ru.ru_stime}), flush=True)
        """;
}
