using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// One libtorrent leecher downloads the same 1 GiB v2 torrent from NarSeed's seeder and from a libtorrent seeder, in
/// the same run, alternating rounds. Reports each seeder's transfer rate, the ratio, and each seeder's CPU seconds per
/// GiB (from /proc/PID/stat: utime + stime). The leecher verifies every download with libtorrent's own recheck.
/// </summary>
public sealed class SeedThroughputBenchmark : IBenchmark
{
    public string Name => "seed-throughput";

    public string Description => "1 GiB to a libtorrent leecher: NarSeed seeder vs libtorrent seeder (rate, CPU s/GiB). [--size-mib N] [--rounds N]";

    private const double GiB = 1024.0 * 1024 * 1024;

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var sizeMiB = IntArgument(arguments, "--size-mib", 1024);
        var rounds = IntArgument(arguments, "--rounds", 3);
        // tmpfs when there is one: the leecher's disk writes must not be what limits the comparison.
        var tmpfs = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        using var directory = new ShmDirectory(Path.Combine(tmpfs, $"narseed-bench-seed-{Environment.ProcessId}"));
        var dataDir = Directory.CreateDirectory(directory.Combine("seed")).FullName;
        var data = Path.Combine(dataDir, "bench.bin");
        WriteRandomFile(data, (long)sizeMiB << 20);
        var torrent = await TorrentBuilder.CreateAsync(data, new TorrentCreateOptions(), cancellationToken);
        var torrentPath = directory.Combine("bench.torrent");
        await File.WriteAllBytesAsync(torrentPath, torrent.ToTorrentFile(), cancellationToken);
        var script = directory.Combine("lt_bench.py");
        await File.WriteAllTextAsync(script, LibtorrentScript, cancellationToken);
        Console.WriteLine($"file {sizeMiB} MiB, piece length {torrent.PieceLength}, {torrent.PieceCount} pieces; {rounds} rounds each");

        var ours = new List<(double Seconds, double Cpu)>();
        var theirs = new List<(double Seconds, double Cpu)>();
        for (var round = 0; round < rounds; round++)
        {
            ours.Add(await NarSeedRoundAsync(torrent, data, torrentPath, script, directory, cancellationToken));
            theirs.Add(await LibtorrentRoundAsync(dataDir, torrentPath, script, directory, cancellationToken));
            Console.WriteLine($"round {round + 1}: NarSeed {Rate(torrent.Length, ours[^1].Seconds)}, libtorrent {Rate(torrent.Length, theirs[^1].Seconds)}");
        }
        var oursBest = ours.MinBy(r => r.Seconds);
        var theirsBest = theirs.MinBy(r => r.Seconds);
        var oursMedian = Median(ours.Select(r => r.Seconds));
        var theirsMedian = Median(theirs.Select(r => r.Seconds));
        var gib = torrent.Length / GiB;
        Console.WriteLine();
        Console.WriteLine($"{"seeder",-12} {"best MB/s",10} {"median MB/s",12} {"CPU s/GiB (median)",20}");
        Console.WriteLine($"{"NarSeed",-12} {torrent.Length / oursBest.Seconds / 1e6,10:F0} {torrent.Length / oursMedian / 1e6,12:F0} {Median(ours.Select(r => r.Cpu)) / gib,20:F2}");
        Console.WriteLine($"{"libtorrent",-12} {torrent.Length / theirsBest.Seconds / 1e6,10:F0} {torrent.Length / theirsMedian / 1e6,12:F0} {Median(theirs.Select(r => r.Cpu)) / gib,20:F2}");
        Console.WriteLine($"throughput ratio NarSeed/libtorrent: best {theirsBest.Seconds / oursBest.Seconds:F2}x, median {theirsMedian / oursMedian:F2}x");
        Console.WriteLine($"CPU per GiB ratio NarSeed/libtorrent (median): {Median(ours.Select(r => r.Cpu)) / Median(theirs.Select(r => r.Cpu)):F2}");
        return 0;
    }

    private static async Task<(double, double)> NarSeedRoundAsync(TorrentInfo torrent, string data, string torrentPath, string script,
        ShmDirectory directory, CancellationToken cancellationToken)
    {
        await using var engine = new SeedEngine(new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback] });
        engine.Register(SeedTorrent.FromTorrentInfo(torrent, data));
        await engine.StartAsync(cancellationToken);
        var self = Environment.ProcessId;
        return await LeechAsync(torrentPath, script, directory, engine.Port, self, cancellationToken);
    }

    private static async Task<(double, double)> LibtorrentRoundAsync(string dataDir, string torrentPath, string script,
        ShmDirectory directory, CancellationToken cancellationToken)
    {
        await using var seeder = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython),
            [script, "seed", torrentPath, dataDir], redirectInput: true);
        var line = await seeder.WaitForOutputLineAsync(l => l.StartsWith("SEEDING ", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        var port = int.Parse(line["SEEDING ".Length..], CultureInfo.InvariantCulture);
        var result = await LeechAsync(torrentPath, script, directory, port, seeder.Process.Id, cancellationToken);
        seeder.Process.StandardInput.Close();
        return result;
    }

    /// <summary>Runs the leecher; returns its transfer seconds (first byte to last) and the seeder's CPU seconds meanwhile.</summary>
    private static async Task<(double Seconds, double Cpu)> LeechAsync(string torrentPath, string script, ShmDirectory directory,
        int port, int seederPid, CancellationToken cancellationToken)
    {
        var save = directory.Combine("leech");
        if (Directory.Exists(save)) Directory.Delete(save, recursive: true);
        Directory.CreateDirectory(save);
        await using var leecher = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython),
            [script, "leech", torrentPath, save, $"127.0.0.1:{port}"]);
        await leecher.WaitForOutputLineAsync(l => l == "STARTED", TimeSpan.FromSeconds(60));
        var cpuBefore = CpuSeconds(seederPid);
        var complete = await leecher.WaitForOutputLineAsync(l => l.StartsWith("COMPLETE ", StringComparison.Ordinal), TimeSpan.FromSeconds(600));
        var cpuAfter = CpuSeconds(seederPid);
        var result = await leecher.WaitForExitAsync(TimeSpan.FromSeconds(600), cancellationToken);
        result.EnsureSuccess("the libtorrent leecher (its recheck must pass)");
        var seconds = JsonDocument.Parse(complete["COMPLETE ".Length..]).RootElement.GetProperty("transfer_seconds").GetDouble();
        return (seconds, cpuAfter - cpuBefore);
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static void WriteRandomFile(string path, long length)
    {
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long left = length; left > 0; left -= buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    /// <summary>A scratch directory under tmpfs, deleted afterwards.</summary>
    private sealed class ShmDirectory : IDisposable
    {
        public ShmDirectory(string path) => Path = Directory.CreateDirectory(path).FullName;

        public string Path { get; }

        public string Combine(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static string Rate(long bytes, double seconds) => $"{bytes / seconds / 1e6:F0} MB/s ({seconds:F2} s)";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntArgument(IReadOnlyList<string> arguments, string name, int fallback)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    // libtorrent on loopback as real-peers.md prescribes (no DHT/LSD/UPnP/NAT-PMP/uTP, many connections per IP).
    //   seed TORRENT DATADIR          -> prints "SEEDING <port>", seeds until stdin closes
    //   leech TORRENT SAVEDIR PEER    -> prints STARTED, then COMPLETE {"transfer_seconds", "total_seconds"}, then
    //                                    force-rechecks and exits 0 only if the recheck passes
    private const string LibtorrentScript = """
        import json, sys, time
        import libtorrent as lt
        mode, torrent, path = sys.argv[1], sys.argv[2], sys.argv[3]
        s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                        "enable_upnp": False, "enable_natpmp": False, "allow_multiple_connections_per_ip": True,
                        "enable_incoming_utp": False, "enable_outgoing_utp": False,
                        "alert_mask": lt.alert.category_t.status_notification})
        s.set_ip_filter(lt.ip_filter())
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(torrent)
        atp.save_path = path
        atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
        atp.flags &= ~lt.torrent_flags.auto_managed
        if mode == "seed":
            # A full check first (not seed_mode, which would hash every piece while serving it): then it only seeds.
            h = s.add_torrent(atp)
            h.resume()
            while not h.status().is_seeding:
                time.sleep(0.05)
            print("SEEDING %d" % s.listen_port(), flush=True)
            sys.stdin.read()
            sys.exit(0)
        host, port = sys.argv[4].rsplit(":", 1)
        h = s.add_torrent(atp)
        h.resume()
        start = time.monotonic(); first = None; last_dial = 0
        print("STARTED", flush=True)
        while True:
            st = h.status()
            now = time.monotonic()
            if first is None and st.total_payload_download > 0: first = now
            if st.is_seeding: break
            if st.num_peers == 0 and now - last_dial > 1:
                last_dial = now; h.connect_peer((host, int(port)))
            if now - start > 600: sys.exit(2)
            time.sleep(0.01)
        print("COMPLETE " + json.dumps({"transfer_seconds": now - first, "total_seconds": now - start}), flush=True)
        s.pop_alerts()  # drop the torrent_checked_alert of the initial check
        h.force_recheck()
        while True:
            a = s.wait_for_alert(1000)
            for a in s.pop_alerts():
                if isinstance(a, lt.torrent_checked_alert):
                    st = h.status()
                    ok = st.num_pieces == h.torrent_file().num_pieces()
                    print("RECHECK %s %s %d" % (ok, st.state, st.num_pieces), flush=True)
                    sys.exit(0 if ok else 1)
        """;
}
