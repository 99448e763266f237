using System.Text.Json.Nodes;
using NarSeed.TestSupport;

namespace NarSeed.Tests.EndToEnd;

/// <summary>
/// Real libtorrent 2.0.8 (python3-libtorrent) downloading a magnet link: loopback only, DHT/LSD/UPnP/NAT-PMP/uTP off
/// (real-peers.md). It dials the magnet's x.pe peers itself (and again every 2 s until connected), fetches the info
/// dictionary and piece layer, downloads, then force_recheck()s and waits for seeding: libtorrent's own verdict.
/// </summary>
public static class LibtorrentMagnet
{
    private const string Script = """
        import json, sys, time
        import libtorrent as lt
        magnet, save, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
        s = lt.session({'listen_interfaces': '127.0.0.1:0', 'enable_dht': False, 'enable_lsd': False,
                        'enable_upnp': False, 'enable_natpmp': False, 'enable_incoming_utp': False,
                        'enable_outgoing_utp': False, 'allow_multiple_connections_per_ip': True})
        s.set_ip_filter(lt.ip_filter())
        atp = lt.parse_magnet_uri(magnet)
        peers = list(atp.peers)
        atp.save_path = save
        atp.flags |= lt.torrent_flags.paused
        atp.flags &= ~lt.torrent_flags.auto_managed
        h = s.add_torrent(atp)
        h.resume()
        deadline = time.time() + timeout
        last_dial = 0
        rechecked = False
        while time.time() < deadline:
            st = h.status()
            if st.num_peers == 0 and time.time() - last_dial > 2:
                for p in peers:
                    h.connect_peer(p)
                last_dial = time.time()
            if st.is_seeding and not rechecked:
                h.force_recheck()
                rechecked = True
                time.sleep(0.2)
            elif st.is_seeding and rechecked and st.state == lt.torrent_status.seeding:
                break
            time.sleep(0.1)
        st = h.status()
        ti = h.torrent_file()
        print(json.dumps({'seeding': bool(st.is_seeding and rechecked), 'name': ti.name() if ti else None,
                          'peers_in_magnet': [str(p) for p in peers], 'web_seeds': [w['url'] for w in ti.web_seeds()] if ti else [],
                          'total_payload_download': st.total_payload_download,
                          'progress': st.progress}))
        """;

    public static async Task<JsonObject> DownloadAsync(string magnet, string saveDirectory, TimeSpan timeout)
    {
        var result = await ProcessRunner.RunPythonAsync(Script,
            [magnet, saveDirectory, timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout + TimeSpan.FromSeconds(15));
        result.ExitCode.Should().Be(0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput.Trim().Split('\n')[^1])!.AsObject();
    }
}
