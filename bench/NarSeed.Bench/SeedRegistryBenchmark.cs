using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using NarSeed.BitTorrent.Engine;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// Registers 100,000 small single-file v2 torrents with one NarSeed engine and, in the same run, adds as many to a
/// libtorrent session (paused, as a node would hold them): resident memory added and time taken, for each.
/// NarSeed keeps only the routing fields in RAM; info dicts and piece layers come from the metadata source on demand.
/// </summary>
public sealed class SeedRegistryBenchmark : IBenchmark
{
    public string Name => "seed-registry";

    public string Description => "100,000 registered small torrents: resident memory and time to register, NarSeed vs libtorrent. [--count N]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var index = arguments.ToList().IndexOf("--count");
        var count = index >= 0 ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : 100_000;

        var (ourBytes, ourSeconds) = await NarSeedAsync(count, cancellationToken);
        var (theirBytes, theirSeconds) = await LibtorrentAsync(count, cancellationToken);

        Console.WriteLine($"{count} torrents of 40 KiB (v2, 16 KiB pieces):");
        Console.WriteLine($"{"",-12} {"RSS added MB",14} {"bytes/torrent",14} {"register s",12} {"torrents/s",12}");
        Console.WriteLine($"{"NarSeed",-12} {ourBytes / 1e6,14:F1} {ourBytes / (double)count,14:F0} {ourSeconds,12:F2} {count / ourSeconds,12:F0}");
        Console.WriteLine($"{"libtorrent",-12} {theirBytes / 1e6,14:F1} {theirBytes / (double)count,14:F0} {theirSeconds,12:F2} {count / theirSeconds,12:F0}");
        Console.WriteLine($"memory ratio NarSeed/libtorrent: {ourBytes / (double)theirBytes:F2}; time ratio: {ourSeconds / theirSeconds:F2}");
        return 0;
    }

    private static async Task<(long Bytes, double Seconds)> NarSeedAsync(int count, CancellationToken cancellationToken)
    {
        await using var engine = new SeedEngine(new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback] });
        await engine.StartAsync(cancellationToken);
        var source = new NeverLoaded();
        // Measured from before the inputs exist: the registrations keep the hashes and paths they are given.
        var before = ResidentBytes();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var inputs = new (byte[] Hash, byte[] Root, string Path)[count];
        for (var i = 0; i < count; i++)
        {
            inputs[i] = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32),
                $"/var/lib/narseed/nars/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}.nar");
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            engine.Register(new SeedTorrent(inputs[i].Hash, null, 40 * 1024, 16384, inputs[i].Root, 180, inputs[i].Path, source));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        inputs = null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var after = ResidentBytes();
        var managed = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        Console.WriteLine($"NarSeed managed heap added: {managed / 1e6:F1} MB ({managed / (double)count:F0} bytes/torrent)");
        GC.KeepAlive(engine);
        if (engine.TorrentCount != count) throw new InvalidOperationException("Registration lost torrents.");
        return (after - before, seconds);
    }

    private static async Task<(long Bytes, double Seconds)> LibtorrentAsync(int count, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunPythonAsync(LibtorrentScript, [count.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
        result.EnsureSuccess("the libtorrent registry script");
        var fields = result.StandardOutput.Trim().Split(' ');
        return (long.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The benchmark never connects a peer, so nothing is ever loaded.</summary>
    private sealed class NeverLoaded : ISeedMetadataSource
    {
        public ValueTask<ReadOnlyMemory<byte>> GetInfoBytesAsync(SeedTorrent torrent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not expected");

        public ValueTask<ReadOnlyMemory<byte>> GetPieceLayerAsync(SeedTorrent torrent, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not expected");
    }

    // Adds N distinct 40 KiB v2 torrents (random roots, so random info-hashes) to one paused libtorrent session;
    // prints "RSS_ADDED_BYTES SECONDS". The info dicts are made before the clock starts.
    private const string LibtorrentScript = """
        import os, sys, time
        import libtorrent as lt
        n = int(sys.argv[1])
        def rss():
            for l in open("/proc/self/status"):
                if l.startswith("VmRSS:"): return int(l.split()[1]) * 1024
        s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                        "enable_upnp": False, "enable_natpmp": False, "enable_incoming_utp": False,
                        "enable_outgoing_utp": False, "alert_mask": 0})
        infos = []
        for i in range(n):
            name = os.urandom(16).hex() + ".nar"
            info = {b"file tree": {name.encode(): {b"": {b"length": 40960, b"pieces root": os.urandom(32)}}},
                    b"meta version": 2, b"name": name.encode(), b"piece length": 16384}
            infos.append(lt.bencode({b"info": info, b"piece layers": {}}))
        before = rss()
        start = time.monotonic()
        for b in infos:
            atp = lt.add_torrent_params()
            atp.ti = lt.torrent_info(lt.bdecode(b))
            atp.save_path = "/var/lib/narseed/nars"
            atp.flags = lt.torrent_flags.paused
            s.async_add_torrent(atp)
        while len(s.get_torrents()) < n:
            time.sleep(0.05)
        seconds = time.monotonic() - start
        infos = None
        print(rss() - before, seconds)
        """;
}
