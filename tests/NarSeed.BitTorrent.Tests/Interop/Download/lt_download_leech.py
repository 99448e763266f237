# A real libtorrent leecher (python3-libtorrent 2.0, Debian's /usr/bin/python3) for NarSeed's upload-while-downloading
# test, set up as real-peers.md prescribes (no DHT/LSD/UPnP/NAT-PMP/uTP, many connections per IP, empty IP filter).
# It starts with nothing and dials nobody (no peers, no PEX): it only gets what peers that dial it (the NarSeed
# downloader) send. Payload is counted per connection, split into incoming and outgoing connections, so the test can
# tell that none came from a connection libtorrent made itself. libtorrent verifies each piece it keeps.
# Usage: lt_download_leech.py TORRENT DATADIR -> prints "LISTENING <port>", leeches until stdin closes, then prints
#        "GOT <verified pieces> <payload bytes over incoming connections> <payload bytes over outgoing connections>".
import sys, threading, time
import libtorrent as lt

torrent, path = sys.argv[1], sys.argv[2]
s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                "enable_upnp": False, "enable_natpmp": False, "allow_multiple_connections_per_ip": True,
                "enable_incoming_utp": False, "enable_outgoing_utp": False})
s.set_ip_filter(lt.ip_filter())
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = path
atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
atp.flags &= ~lt.torrent_flags.auto_managed
h = s.add_torrent(atp)
h.resume()
print("LISTENING %d" % s.listen_port(), flush=True)
stdin_closed = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stdin_closed.set()), daemon=True).start()
seen = {}  # (ip, port, outgoing) -> payload bytes downloaded on that connection, highest seen
while not stdin_closed.is_set():
    for p in h.get_peer_info():
        key = (p.ip, bool(p.flags & lt.peer_info.local_connection))
        seen[key] = max(seen.get(key, 0), p.total_download)
    time.sleep(0.01)
st = h.status()
# Outgoing payload from the per-connection samples (any connection libtorrent made would show up in them); incoming is
# the torrent's whole payload minus that, since the last pieces of a connection that closes right after can fall
# between two samples.
outgoing = sum(v for (_, out), v in seen.items() if out)
incoming = st.total_payload_download - outgoing
print("GOT %d %d %d" % (st.num_pieces, incoming, outgoing), flush=True)
