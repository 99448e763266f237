using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// Real libtorrent 2.0.8 seeding .torrent files from one directory on 127.0.0.1 (DHT/LSD/UPnP/NAT-PMP/uTP off,
/// real-peers.md). It prints "ready PORT" once every torrent is seeding after its own hash check, and on exit (when
/// the stop file appears, or at its time limit) one JSON line with its uploaded payload.
/// </summary>
public sealed class LibtorrentSeeder : IAsyncDisposable
{
    private const string Script = """
        import json, os, sys, time
        import libtorrent as lt
        save, stop, timeout, torrents = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
        s = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False,
                        'enable_upnp': False, 'enable_natpmp': False, 'enable_incoming_utp': False,
                        'enable_outgoing_utp': False, 'allow_multiple_connections_per_ip': True})
        s.set_ip_filter(lt.ip_filter())
        handles = []
        for t in torrents:
            atp = lt.add_torrent_params()
            atp.ti = lt.torrent_info(t)
            atp.save_path = save
            atp.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
            handles.append(s.add_torrent(atp))
        deadline = time.time() + timeout
        # libtorrent checks the files itself: "ready" means it verified every piece and seeds.
        while time.time() < deadline and not all(h.status().is_seeding for h in handles):
            time.sleep(0.05)
        print('ready %d' % s.listen_port(), flush=True)
        while time.time() < deadline and not os.path.exists(stop):
            time.sleep(0.05)
        print(json.dumps({'seeding': all(h.status().is_seeding for h in handles),
                          'uploaded': sum(h.status().total_payload_upload for h in handles)}), flush=True)
        """;

    private readonly RunningProcess _process;
    private readonly string _stopFile;

    private LibtorrentSeeder(RunningProcess process, string stopFile, int port)
    {
        _process = process;
        _stopFile = stopFile;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Seeds <paramref name="torrentFiles"/> whose data files lie in <paramref name="saveDirectory"/>.</summary>
    public static async Task<LibtorrentSeeder> StartAsync(string saveDirectory, IEnumerable<string> torrentFiles, TimeSpan timeout)
    {
        var script = Path.Combine(saveDirectory, "..", "lt-seeder.py");
        await File.WriteAllTextAsync(script, Script);
        var stop = Path.Combine(saveDirectory, "..", "lt-seeder.stop");
        var process = RunningProcess.Start("/usr/bin/python3",
            [script, saveDirectory, stop, timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), .. torrentFiles]);
        var line = await process.WaitForOutputLineAsync(l => l.StartsWith("ready ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        return new LibtorrentSeeder(process, stop, int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>Stops it and returns its final report (is it still seeding, payload bytes uploaded).</summary>
    public async Task<JsonObject> StopAsync()
    {
        await File.WriteAllTextAsync(_stopFile, "");
        var result = await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
        return JsonNode.Parse(result.StandardOutput.Trim().Split('\n')[^1])!.AsObject();
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
