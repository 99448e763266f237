using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NarSeed.BitTorrent.Trackers;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// 100,000 torrents registered with the <see cref="AnnounceScheduler"/> against a real opentracker (UDP, every hash
/// whitelisted) on 127.0.0.1: time to register, resident memory added, and announces per second achieved against the
/// configured per-tracker rate limit over a measured window; stopped events on shutdown within the deadline. The same
/// run adds as many torrents (info-hash and the same tracker, paused) to one libtorrent session: its time and memory
/// are the reference (a paused libtorrent torrent does not announce, so only holding them is compared).
/// </summary>
public sealed class AnnounceSchedulerBenchmark : IBenchmark
{
    public string Name => "announce-scheduler";

    public string Description =>
        "100,000 torrents on the announce scheduler against opentracker (UDP): register time, RSS, announces/s vs the rate limit; " +
        "libtorrent holding as many paused. [--count N] [--rate PER_S] [--seconds S]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var count = BenchArguments.Int(arguments, "--count", 100_000);
        var rate = BenchArguments.Int(arguments, "--rate", (int)AnnounceSchedulerOptions.DefaultMaxAnnouncesPerSecondPerTracker);
        var window = BenchArguments.Int(arguments, "--seconds", 20);
        var hashes = new byte[count][];
        for (var i = 0; i < count; i++) hashes[i] = RandomNumberGenerator.GetBytes(32);

        using var directory = new TempDirectory("narseed-bench-opentracker-");
        await using var tracker = await StartOpenTrackerAsync(directory, hashes, cancellationToken);
        var url = new Uri($"udp://127.0.0.1:{tracker.Port}/announce");

        var ours = await NarSeedAsync(hashes, url, rate, window, cancellationToken);
        var (theirBytes, theirSeconds) = await LibtorrentAsync(count, url, cancellationToken);

        Console.WriteLine($"{count} torrents, one UDP tracker (opentracker on 127.0.0.1), rate limit {rate}/s:");
        Console.WriteLine($"{"",-12} {"RSS added MB",14} {"bytes/torrent",14} {"register s",12} {"torrents/s",12}");
        Console.WriteLine($"{"NarSeed",-12} {ours.Bytes / 1e6,14:F1} {ours.Bytes / (double)count,14:F0} {ours.Seconds,12:F2} {count / ours.Seconds,12:F0}");
        Console.WriteLine($"{"libtorrent",-12} {theirBytes / 1e6,14:F1} {theirBytes / (double)count,14:F0} {theirSeconds,12:F2} {count / theirSeconds,12:F0}");
        Console.WriteLine($"memory ratio NarSeed/libtorrent: {ours.Bytes / (double)theirBytes:F2}; register time ratio: {ours.Seconds / theirSeconds:F2}");
        Console.WriteLine($"NarSeed announces: {ours.Announces} in {window} s = {ours.Announces / (double)window:F1}/s " +
                          $"({ours.Announces / (double)window / rate:P0} of the {rate}/s limit), {ours.Failures} failures, " +
                          $"{ours.Peers} peers received; shutdown with stopped events {ours.StopSeconds:F2} s");
        return 0;
    }

    private static async Task<Figures> NarSeedAsync(byte[][] hashes, Uri url, int rate, int window, CancellationToken cancellationToken)
    {
        long peers = 0;
        var scheduler = new AnnounceScheduler(new AnnounceSchedulerOptions
        {
            PeerId = "-NS0100-benchschedul"u8.ToArray(), Port = () => 6881, MaxAnnouncesPerSecondPerTracker = rate,
        })
        {
            PeersReceived = (_, received) => Interlocked.Add(ref peers, received.Count),
        };
        IReadOnlyList<IReadOnlyList<Uri>> tiers = [[url]];
        var before = ResidentBytes();
        var clock = Stopwatch.StartNew();
        foreach (var hash in hashes)
        {
            // Downloading: bytes left, so opentracker counts each as a leecher.
            scheduler.Add(new TrackedTorrent(TrackedTorrent.AnnounceHashes(hash, null), tiers, () => new TrackerProgress(0, 0, 40_960)));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var bytes = ResidentBytes() - before;
        if (scheduler.TorrentCount != hashes.Length) throw new InvalidOperationException("Registration lost torrents.");

        await scheduler.StartAsync();
        var startAnnounces = scheduler.AnnouncesSent;
        await Task.Delay(TimeSpan.FromSeconds(window), cancellationToken);
        var announces = scheduler.AnnouncesSent - startAnnounces;
        var failures = scheduler.AnnounceFailures;
        var stop = Stopwatch.StartNew();
        await scheduler.DisposeAsync();
        return new Figures(bytes, seconds, announces, failures, Interlocked.Read(ref peers), stop.Elapsed.TotalSeconds);
    }

    private static async Task<(long Bytes, double Seconds)> LibtorrentAsync(int count, Uri url, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunPythonAsync(LibtorrentScript, [count.ToString(CultureInfo.InvariantCulture), url.ToString()],
            TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
        result.EnsureSuccess("the libtorrent scheduler script");
        var fields = result.StandardOutput.Trim().Split(' ');
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    /// <summary>opentracker with every truncated hash whitelisted (it drops to nobody before reading: the directory is 0755).</summary>
    private static async Task<(RunningProcess Process, int Port)> StartTrackerProcessAsync(TempDirectory directory, byte[][] hashes)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101);
        var whitelist = directory.Combine("whitelist");
        await File.WriteAllLinesAsync(whitelist, hashes.Select(h => Convert.ToHexStringLower(h.AsSpan(0, 20))));
        var port = FreePort.Tcp();
        var process = RunningProcess.Start(ExternalTool.Require("opentracker"),
            ["-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-P", port.ToString(CultureInfo.InvariantCulture),
                "-w", Path.GetFullPath(whitelist)], directory.Path);
        return (process, port);
    }

    private static async Task<Tracker> StartOpenTrackerAsync(TempDirectory directory, byte[][] hashes, CancellationToken cancellationToken)
    {
        var (process, port) = await StartTrackerProcessAsync(directory, hashes);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // The last hash: the whitelist is loaded in the background, and the last line is read last.
        var hash = string.Concat(hashes[^1].AsSpan(0, 20).ToArray().Select(b => $"%{b:X2}"));
        var query = $"http://127.0.0.1:{port}/announce?info_hash={hash}&peer_id=-NS0100-probeprobepr&port=1&uploaded=0" +
                    "&downloaded=0&left=0&compact=1&event=";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var body = await http.GetStringAsync(query + "started", cancellationToken);
                if (!body.Contains("failure reason", StringComparison.Ordinal))
                {
                    await http.GetStringAsync(query + "stopped", cancellationToken);
                    return new Tracker(process, port);
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.Process.HasExited)
            {
            }
            if (DateTime.UtcNow > deadline || process.Process.HasExited)
            {
                await process.DisposeAsync();
                throw new InvalidOperationException($"opentracker did not start with the whitelist: {process.StandardErrorSoFar}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private sealed record Figures(long Bytes, double Seconds, long Announces, long Failures, long Peers, double StopSeconds);

    private sealed record Tracker(RunningProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    // Adds N torrents known by a v2 info-hash only (no metadata, as a client starting from a magnet) with the
    // tracker, paused, to one libtorrent session; prints "RSS_ADDED_BYTES SECONDS". Hashes are made before the clock.
    private const string LibtorrentScript = """
        import os, sys, time
        import libtorrent as lt
        n, url = int(sys.argv[1]), sys.argv[2]
        def rss():
            for l in open("/proc/self/status"):
                if l.startswith("VmRSS:"): return int(l.split()[1]) * 1024
        s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                        "enable_upnp": False, "enable_natpmp": False, "enable_incoming_utp": False,
                        "enable_outgoing_utp": False, "alert_mask": 0})
        hashes = [lt.info_hash_t(lt.sha256_hash(os.urandom(32))) for _ in range(n)]
        before = rss()
        start = time.monotonic()
        for h in hashes:
            atp = lt.add_torrent_params()
            atp.info_hashes = h
            atp.trackers = [url]
            atp.save_path = "/tmp/narseed-bench-lt"
            atp.flags = lt.torrent_flags.paused
            s.async_add_torrent(atp)
        while len(s.get_torrents()) < n:
            time.sleep(0.5)
        seconds = time.monotonic() - start
        hashes = None
        print(rss() - before, seconds)
        """;
}
