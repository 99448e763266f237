# Seeds one .torrent with real libtorrent (python3-libtorrent 2.0, Debian's /usr/bin/python3) on 127.0.0.1 for
# NarSeed's downloader tests, set up as real-peers.md prescribes: no DHT/LSD/UPnP/NAT-PMP/uTP, many connections per IP,
# empty IP filter. The data is checked first (not seed_mode), so libtorrent serves only what it verified itself.
# Usage: lt_download_seed.py TORRENT DATADIR [UPLOAD_BYTES_PER_S]   -> prints "SEEDING <port>", then seeds until stdin closes, then prints
#        "UPLOADED <payload bytes>".
import sys, time
import libtorrent as lt

torrent, path = sys.argv[1], sys.argv[2]
s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                "enable_upnp": False, "enable_natpmp": False, "allow_multiple_connections_per_ip": True,
                "enable_incoming_utp": False, "enable_outgoing_utp": False,
                "alert_mask": lt.alert.category_t.status_notification})
s.set_ip_filter(lt.ip_filter())
if len(sys.argv) > 3:
    # Loopback peers are in libtorrent's "local" peer class, which the global rate limit does not cover.
    pc = s.get_peer_class(s.local_peer_class_id)
    pc["upload_limit"] = int(sys.argv[3])
    s.set_peer_class(s.local_peer_class_id, pc)
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = path
atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
atp.flags &= ~lt.torrent_flags.auto_managed
h = s.add_torrent(atp)
h.resume()
deadline = time.monotonic() + 120
while not h.status().is_seeding:
    if time.monotonic() > deadline:
        print("NOT SEEDING " + str(h.status().state), flush=True)
        sys.exit(1)
    time.sleep(0.02)
print("SEEDING %d" % s.listen_port(), flush=True)
sys.stdin.read()
print("UPLOADED %d" % h.status().total_payload_upload, flush=True)
