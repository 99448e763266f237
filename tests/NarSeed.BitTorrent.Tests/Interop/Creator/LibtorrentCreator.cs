using System.Text.Json;
using System.Text.Json.Nodes;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Creator;

/// <summary>
/// Drives python3-libtorrent (2.0.x, Debian's /usr/bin/python3) in ONE process per batch: create torrents the way
/// real-peers.md makes them deterministic, report libtorrent's default piece lengths, load .torrent files (and check
/// the data against them in a session), and parse magnet links.
/// </summary>
internal static class LibtorrentCreator
{
    // The request arrives as JSON on stdin; the answer is one JSON document on stdout.
    private const string Script = """
        import json, sys, time, libtorrent as lt
        req = json.load(sys.stdin)
        mode = req["mode"]
        out = []
        def hexhash(h):
            return None if h.is_all_zeros() else h.to_bytes().hex()
        if mode == "create":
            for job in req["jobs"]:
                # file_storage by hand, flags 0 and mtime 0: no attr/mtime leaks into info (real-peers.md)
                fs = lt.file_storage()
                fs.add_file(job["name"], job["size"], 0, 0)
                flags = 0 if job["hybrid"] else lt.create_torrent.v2_only
                if job.get("v1_only"):
                    flags = lt.create_torrent.v1_only   # BEP 3 only: any piece size, no file tree, no piece layers
                ct = lt.create_torrent(fs, piece_size=job["piece_length"], flags=flags)
                for tier, url in enumerate(job["trackers"]):
                    ct.add_tracker(url, tier)
                for url in job["web_seeds"]:
                    ct.add_url_seed(url)
                lt.set_piece_hashes(ct, job["dir"])
                e = ct.generate()
                del e[b"creation date"]   # the binding cannot switch it off
                info = lt.bencode(e[b"info"])
                layers = lt.bencode(e[b"piece layers"]) if b"piece layers" in e else b""
                out.append({"torrent": lt.bencode(e).hex(), "info": info.hex(), "piece_layers": layers.hex(),
                            "piece_length": ct.piece_length()})
        elif mode == "piece_lengths":
            for size in req["sizes"]:
                fs = lt.file_storage()
                fs.add_file("x", size, 0, 0)
                out.append(lt.create_torrent(fs, piece_size=0, flags=lt.create_torrent.v2_only).piece_length())
        elif mode == "load":
            s = None
            if req.get("data_dir"):
                s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                                "enable_upnp": False, "enable_natpmp": False})
            handles = []
            for path in req["torrents"]:
                ti = lt.torrent_info(path)
                ih = ti.info_hashes()
                out.append({"v1": hexhash(ih.v1) if ih.has_v1() else None, "v2": hexhash(ih.v2) if ih.has_v2() else None,
                            "name": ti.name(), "file_size": ti.files().file_size(0), "piece_length": ti.piece_length(),
                            "num_pieces": ti.num_pieces(), "web_seeds": [w["url"] for w in ti.web_seeds()],
                            "trackers": [t.url for t in ti.trackers()]})
                if s is not None:
                    handles.append(s.add_torrent({"ti": ti, "save_path": req["data_dir"]}))
            # libtorrent checks the data against the torrent (piece layers included): every one must end seeding.
            deadline = time.time() + 60
            while handles and time.time() < deadline:
                st = [h.status() for h in handles]
                if any(x.errc.value() != 0 for x in st) or all(x.state == lt.torrent_status.seeding for x in st):
                    break
                time.sleep(0.05)
            for i, h in enumerate(handles):
                st = h.status()
                out[i]["seeding"] = st.state == lt.torrent_status.seeding
                out[i]["error"] = st.errc.message() if st.errc.value() != 0 else None
        elif mode == "try_load":
            # loading, then adding to a (paused) session: libtorrent checks piece layers against the root there
            s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                            "enable_upnp": False, "enable_natpmp": False})
            for path in req["torrents"]:
                try:
                    h = s.add_torrent({"ti": lt.torrent_info(path), "save_path": req["save_path"],
                                       "flags": lt.torrent_flags.paused})
                    s.remove_torrent(h)
                    out.append({"error": None})
                except Exception as e:
                    out.append({"error": str(e)})
        elif mode == "magnets_try":
            for uri in req["uris"]:
                try:
                    lt.parse_magnet_uri(uri)
                    out.append({"error": None})
                except Exception as e:
                    out.append({"error": str(e)})
        elif mode == "magnets":
            for uri in req["uris"]:
                p = lt.parse_magnet_uri(uri)
                ih = p.info_hashes
                out.append({"v1": hexhash(ih.v1), "v2": hexhash(ih.v2), "name": p.name, "trackers": list(p.trackers),
                            "web_seeds": list(p.url_seeds), "peers": ["%s:%d" % (a, port) for a, port in p.peers]})
        json.dump(out, sys.stdout)
        """;

    public static async Task<JsonArray> RunAsync(object request, TimeSpan timeout)
    {
        var python = ExternalTool.Require(ExternalTool.DebianPython);
        var result = await ProcessRunner.RunAsync(python, ["-c", Script], timeout,
            standardInput: JsonSerializer.Serialize(request));
        result.EnsureSuccess("libtorrent helper");
        return JsonNode.Parse(result.StandardOutput)!.AsArray();
    }
}
