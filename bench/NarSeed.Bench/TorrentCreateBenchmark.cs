using System.Diagnostics;
using System.Globalization;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// `torrent-create [SIZE_MIB] [RUNS]`: NarSeed's torrent creator against libtorrent's create_torrent (python3-libtorrent,
/// one thread) on the same random file (1 GiB by default), v2-only and hybrid, in the same run. Reports the median
/// of each (3 runs after one warm-up) and the speed ratio. Goals (issue 2): ≥ 1.6× for v2, ≥ 1.8× for hybrid.
/// </summary>
public sealed class TorrentCreateBenchmark : IBenchmark
{
    // libtorrent side: the deterministic creation of real-peers.md, timed inside python (no interpreter start-up).
    private const string LibtorrentScript = """
        import json, sys, time, libtorrent as lt
        d, name, size, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
        start = time.perf_counter()
        cpu = time.process_time()
        fs = lt.file_storage()
        fs.add_file(name, size, 0, 0)
        ct = lt.create_torrent(fs, piece_size=0, flags=lt.create_torrent.v2_only if mode == "v2" else 0)
        lt.set_piece_hashes(ct, d)
        e = ct.generate()
        del e[b"creation date"]
        open(d + "/lt-" + mode + ".torrent", "wb").write(lt.bencode(e))
        print(time.perf_counter() - start, time.process_time() - cpu)
        """;

    public string Name => "torrent-create";

    public string Description => "Create v2 and hybrid torrents of a 1 GiB file: NarSeed vs libtorrent create_torrent.";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var sizeMiB = arguments.Count > 0 ? long.Parse(arguments[0], CultureInfo.InvariantCulture) : 1024;
        var runs = arguments.Count > 1 ? int.Parse(arguments[1], CultureInfo.InvariantCulture) : 3;
        using var dir = new TempDirectory("narseed-bench-");
        const string name = "bench.nar";
        var path = dir.Combine(name);
        await WriteRandomFileAsync(path, sizeMiB * 1024 * 1024, cancellationToken);
        Console.WriteLine($"file: {sizeMiB} MiB of random bytes (in the page cache), {Environment.ProcessorCount} cores, {runs} runs + 1 warm-up");

        // Runs alternate between the two implementations so that load from other processes hits both alike.
        var ours = new Dictionary<string, List<double>> { ["v2"] = [], ["hybrid"] = [] };
        var libtorrent = new Dictionary<string, List<double>> { ["v2"] = [], ["hybrid"] = [] };
        var cpu = new Dictionary<string, List<double>> { ["ns-v2"] = [], ["ns-hybrid"] = [], ["lt-v2"] = [], ["lt-hybrid"] = [] };
        var python = ExternalTool.Require(ExternalTool.DebianPython);
        for (var i = 0; i <= runs; i++)
        {
            foreach (var mode in new[] { "v2", "hybrid" })
            {
                // Which side goes first alternates too, so neither always inherits the other's cache state.
                ProcessResult? result = null;
                if (i % 2 == 1) result = await RunLibtorrentAsync(python, dir.Path, name, sizeMiB, mode, cancellationToken);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var stopwatch = Stopwatch.StartNew();
                var torrent = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { Hybrid = mode == "hybrid" }, cancellationToken);
                await File.WriteAllBytesAsync(dir.Combine($"ns-{mode}.torrent"), torrent.ToTorrentFile(), cancellationToken);
                var elapsed = stopwatch.Elapsed.TotalSeconds;
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                result ??= await RunLibtorrentAsync(python, dir.Path, name, sizeMiB, mode, cancellationToken);
                if (i == 0) continue; // warm-up: JIT, page cache
                var fields = result.StandardOutput.Trim().Split(' ');
                ours[mode].Add(elapsed);
                libtorrent[mode].Add(double.Parse(fields[0], CultureInfo.InvariantCulture));
                cpu["ns-" + mode].Add(cpuSeconds);
                cpu["lt-" + mode].Add(double.Parse(fields[1], CultureInfo.InvariantCulture));
            }
        }

        var exit = 0;
        foreach (var (mode, goal) in new[] { ("v2", 1.6), ("hybrid", 1.8) })
        {
            var oursFile = await File.ReadAllBytesAsync(dir.Combine($"ns-{mode}.torrent"), cancellationToken);
            var libtorrentFile = await File.ReadAllBytesAsync(dir.Combine($"lt-{mode}.torrent"), cancellationToken);
            var same = oursFile.AsSpan().SequenceEqual(libtorrentFile);
            var oursMedian = Median(ours[mode]);
            var ltMedian = Median(libtorrent[mode]);
            var ratio = ltMedian / oursMedian;
            Console.WriteLine(
                $"{mode,-7} narseed {oursMedian:F3} s ({sizeMiB / oursMedian:F0} MiB/s)  libtorrent {ltMedian:F3} s ({sizeMiB / ltMedian:F0} MiB/s)  " +
                $"ratio {ratio:F2}x (goal {goal:F1}x: {(ratio >= goal ? "met" : "MISSED")})  identical .torrent: {(same ? "yes" : "NO")}");
            Console.WriteLine($"        runs narseed [{string.Join(", ", ours[mode].Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}]" +
                              $"  libtorrent [{string.Join(", ", libtorrent[mode].Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"        CPU seconds (median): narseed {Median(cpu["ns-" + mode]):F3}  libtorrent {Median(cpu["lt-" + mode]):F3}");
            if (!same) exit = 1;
        }
        return exit;
    }

    private static async Task<ProcessResult> RunLibtorrentAsync(
        string python, string directory, string name, long sizeMiB, string mode, CancellationToken cancellationToken) =>
        (await ProcessRunner.RunAsync(python,
            ["-c", LibtorrentScript, directory, name, (sizeMiB * 1024 * 1024).ToString(CultureInfo.InvariantCulture), mode],
            TimeSpan.FromMinutes(5), cancellationToken: cancellationToken)).EnsureSuccess("libtorrent create_torrent");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task WriteRandomFileAsync(string path, long size, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024 * 1024];
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0; written < size; written += buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - written)), cancellationToken);
        }
    }
}
