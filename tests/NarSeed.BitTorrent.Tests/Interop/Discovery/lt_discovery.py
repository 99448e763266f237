# Drives real libtorrent (python3-libtorrent 2.0, Debian's /usr/bin/python3) for NarSeed's discovery tests.
#   1. "make": builds v2 (or hybrid) .torrent files with libtorrent's create_torrent (creation date dropped) and
#      prints MADE {"index", "v2", "v1", "root", "piece_length", "info_path", "layer_path", "name", "length"}.
#   2. Waits for "GO" on stdin (the test starts opentracker / registers torrents with NarSeed meanwhile).
#   3. "sessions": one libtorrent session each (127.0.0.1, TCP only, DHT/LSD/UPnP/NAT-PMP off, DHT and LSD off on the
#      torrent; PEX off unless "pex": true). Peers come only from "trackers" (set on the torrent) and "peers"
#      (dialled every 2 s until connected). A "seed" session seeds existing data and prints SEEDING {"session", "port"}
#      once its first tracker reply arrived (or at once without trackers). A leecher downloads, force-rechecks and
#      prints RESULT {"session", "ok", "error", "port", "sources", "pex_ports"}: "sources" are the peer_info source
#      bits of its connected peers while it downloads, "pex_ports" the ports of peers it learnt by PEX. Every session prints
#      LISTENING {"session", "port"} when it starts, a leecher CONNECTED {"session", "peers"} once a seed is connected past its handshake; "download_limit" (bytes/s) throttles a leecher.
#   The process exits when every leecher finished (0 only if all passed) or, with leechers absent, when stdin closes.
# Usage: lt_discovery.py SPEC.json
import hashlib, json, os, sys, time, threading
import libtorrent as lt

spec = json.load(open(sys.argv[1]))
made = []
for i, m in enumerate(spec.get("make", [])):
    fs = lt.file_storage()
    fs.add_file(os.path.basename(m["data"]), os.path.getsize(m["data"]))
    ct = lt.create_torrent(fs, m.get("piece_size", 0), lt.create_torrent.v2_only if m.get("v2only", True) else 0)
    lt.set_piece_hashes(ct, os.path.dirname(m["data"]))
    e = ct.generate()
    e.pop(b"creation date", None)
    open(m["torrent"], "wb").write(lt.bencode(e))
    info = lt.bencode(e[b"info"])
    name = os.path.basename(m["data"])
    root = e[b"info"][b"file tree"][name.encode()][b""][b"pieces root"]
    layer = e.get(b"piece layers", {}).get(root, b"")
    open(m["torrent"] + ".info", "wb").write(info)
    open(m["torrent"] + ".layer", "wb").write(layer)
    t = {"index": i, "v2": hashlib.sha256(info).hexdigest(),
         "v1": hashlib.sha1(info).hexdigest() if b"pieces" in e[b"info"] else None,
         "root": root.hex(), "piece_length": e[b"info"][b"piece length"], "name": name,
         "length": os.path.getsize(m["data"]), "info_path": m["torrent"] + ".info",
         "layer_path": m["torrent"] + ".layer"}
    made.append(t)
    print("MADE " + json.dumps(t), flush=True)

if sys.stdin.readline().strip() != "GO":
    sys.exit(3)
spec = json.load(open(sys.argv[1]))  # the test wrote the sessions meanwhile

stdin_closed = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), stdin_closed.set()), daemon=True).start()

class Session:
    def __init__(self, index, j):
        self.index, self.j = index, j
        self.session = lt.session({
            "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False, "enable_upnp": False,
            "enable_natpmp": False, "allow_multiple_connections_per_ip": True, "enable_incoming_utp": False,
            "enable_outgoing_utp": False, "announce_to_all_trackers": True,
            "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
                          | lt.alert.category_t.tracker_notification | lt.alert.category_t.peer_notification})
        self.session.set_ip_filter(lt.ip_filter())
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(j["torrent"])
        atp.save_path = j["save"]
        atp.trackers = j.get("trackers", [])
        atp.flags |= lt.torrent_flags.paused | lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd
        if not j.get("pex"):
            atp.flags |= lt.torrent_flags.disable_pex
        atp.flags &= ~lt.torrent_flags.auto_managed
        if j.get("seed"):
            atp.flags |= lt.torrent_flags.seed_mode
        self.handle = self.session.add_torrent(atp)
        if j.get("download_limit"):  # bytes/s; a leecher that must stay (nearly) empty
            self.handle.set_download_limit(j["download_limit"])
        self.handle.resume()
        self.port = self.session.listen_port()
        print("LISTENING " + json.dumps({"session": index, "port": self.port}), flush=True)
        self.start = time.monotonic()
        self.last_dial = 0.0
        self.rechecking = self.done = self.announced = False
        self.sources, self.pex_ports, self.log = set(), set(), []
        if j.get("seed") and not j.get("trackers"):
            self.seeding()

    def seeding(self):
        self.announced = True
        print("SEEDING " + json.dumps({"session": self.index, "port": self.port}), flush=True)

    def step(self):
        now = time.monotonic()
        for a in self.session.pop_alerts():
            if isinstance(a, lt.tracker_reply_alert) and self.j.get("seed") and not self.announced:
                self.seeding()
            if isinstance(a, lt.torrent_checked_alert) and self.rechecking:
                st = self.handle.status()
                ok = st.is_seeding and st.num_pieces == self.handle.torrent_file().num_pieces()
                self.finish(ok, None if ok else "recheck failed: %d pieces" % st.num_pieces)
            if isinstance(a, (lt.tracker_error_alert, lt.tracker_warning_alert, lt.peer_error_alert,
                              lt.torrent_error_alert)):
                self.log.append(a.message())
                print("ALERT %d %s" % (self.index, a.message()), file=sys.stderr, flush=True)
        downloading = not self.handle.status().is_seeding
        for p in self.handle.get_peer_info():
            # Sources of peer-list entries while downloading: a connection being closed (seed to seed once complete,
            # or libtorrent's own when a tracker hands back its address) is listed for a moment with source 0.
            if downloading and p.source:
                self.sources.add(p.source)
            if p.source & lt.peer_info.pex:
                self.pex_ports.add(p.ip[1])
        if self.done or self.j.get("seed"):
            return
        st = self.handle.status()
        # A seed's bit is known only after its handshake and bitfield: libtorrent's PEX lists no peer still in handshake.
        if not getattr(self, "connected", False) and any(p.flags & lt.peer_info.seed for p in self.handle.get_peer_info()):
            self.connected = True
            print("CONNECTED " + json.dumps({"session": self.index, "peers": st.num_peers}), flush=True)
        if not self.rechecking and st.is_seeding:
            self.rechecking = True
            self.handle.force_recheck()
        if self.j.get("peers") and st.num_peers == 0 and now - self.last_dial > 2:
            self.last_dial = now
            for p in self.j["peers"]:
                host, port = p.rsplit(":", 1)
                self.handle.connect_peer((host, int(port)))
        if now - self.start > self.j.get("timeout", 60):
            self.finish(False, "timeout: state %s progress %.3f peers %d; %s" % (
                st.state, st.progress, st.num_peers, " | ".join(self.log[-5:])))

    def finish(self, ok, error):
        self.done, self.ok = True, ok
        print("RESULT " + json.dumps({"session": self.index, "ok": ok, "error": error, "port": self.port,
                                      "sources": sorted(self.sources), "pex_ports": sorted(self.pex_ports)}), flush=True)

sessions = [Session(i, j) for i, j in enumerate(spec.get("sessions", []))]
leechers = [s for s in sessions if not s.j.get("seed")]
while (leechers and not all(s.done for s in leechers)) or (not leechers and not stdin_closed.is_set()):
    for s in sessions:
        s.step()
    time.sleep(0.05)
sys.exit(0 if all(s.ok for s in leechers) else 1)
