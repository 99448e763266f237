# Drives real libtorrent (python3-libtorrent 2.0, Debian's /usr/bin/python3) for NarSeed's seeding tests.
# One process per scenario:
#   1. "make": build .torrent files from data files with libtorrent's own create_torrent (creation date dropped so the
#      file is deterministic) and print one line per torrent: MADE {"index", "v2", "v1", "root", "piece_length",
#      "info_path", "layer_path", "name", "length"}.
#   2. Wait for "GO" on stdin (the test registers the torrents with its NarSeed seeder meanwhile).
#   3. "jobs": each job is a separate libtorrent session (own peer id, own port) that downloads from the given peers,
#      re-dialling every 2 s until connected; when complete it force-rechecks and waits for torrent_checked_alert.
#      Prints RESULT {"job", "ok", "seconds", "hash_failures", "error"} per job; exits 0 only if every job passed.
#   A "seed" job instead seeds an existing file and prints SEEDING {"job", "port"} (used by the benchmark).
# Usage: lt_seed_interop.py SPEC.json   (spec: {"make": [...], "jobs": [...]}; paths are absolute)
import hashlib, json, os, sys, time
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
    base = m["torrent"]
    open(base + ".info", "wb").write(info)
    open(base + ".layer", "wb").write(layer)
    t = {"index": i, "v2": hashlib.sha256(info).hexdigest(),
         "v1": hashlib.sha1(info).hexdigest() if b"pieces" in e[b"info"] else None,
         "root": root.hex(), "piece_length": e[b"info"][b"piece length"], "name": name,
         "length": os.path.getsize(m["data"]), "info_path": base + ".info", "layer_path": base + ".layer"}
    made.append(t)
    print("MADE " + json.dumps(t), flush=True)

jobs = spec.get("jobs", [])
if not jobs:
    sys.exit(0)
if spec.get("wait_for_go", True):
    if sys.stdin.readline().strip() != "GO":
        sys.exit(3)

def new_session():
    s = lt.session({
        "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False, "enable_upnp": False,
        "enable_natpmp": False, "allow_multiple_connections_per_ip": True, "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
                      | lt.alert.category_t.peer_notification | lt.alert.category_t.connect_notification,
    })
    s.set_ip_filter(lt.ip_filter())
    return s

class Job:
    def __init__(self, index, j):
        self.index, self.j = index, j
        self.session = new_session()
        if "magnet_of" in j:
            t = made[j["magnet_of"]]
            uri = "magnet:?xt=urn:btmh:1220" + t["v2"] + "&dn=" + t["name"]
            uri += "".join("&x.pe=" + p for p in j.get("peers", []))
            atp = lt.parse_magnet_uri(uri)
        elif "magnet" in j:
            # a magnet given as is (e.g. btih-only for a v1 torrent), with the peers appended
            atp = lt.parse_magnet_uri(j["magnet"] + "".join("&x.pe=" + p for p in j.get("peers", [])))
        else:
            atp = lt.add_torrent_params()
            atp.ti = lt.torrent_info(j["torrent"])
        atp.save_path = j["save"]
        atp.flags |= lt.torrent_flags.paused | lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd \
            | lt.torrent_flags.disable_pex
        atp.flags &= ~lt.torrent_flags.auto_managed
        if j.get("seed"):
            atp.flags |= lt.torrent_flags.seed_mode
        self.handle = self.session.add_torrent(atp)
        self.handle.resume()
        self.start = time.monotonic()
        self.last_dial = 0.0
        self.rechecking = False
        self.done = False
        self.result = None
        self.hash_failures = 0
        self.log = []
        if j.get("seed"):
            print("SEEDING " + json.dumps({"job": index, "port": self.session.listen_port()}), flush=True)

    def step(self):
        now = time.monotonic()
        for a in self.session.pop_alerts():
            if isinstance(a, lt.hash_failed_alert):
                self.hash_failures += 1
            if isinstance(a, lt.torrent_checked_alert) and self.rechecking:
                st = self.handle.status()
                ok = st.is_seeding and st.num_pieces == self.handle.torrent_file().num_pieces()
                self.finish(ok, None if ok else "recheck failed: %d pieces" % st.num_pieces)
            if isinstance(a, (lt.peer_disconnected_alert, lt.peer_error_alert, lt.torrent_error_alert)):
                self.log.append(a.message())
        if self.done or self.j.get("seed"):
            return
        st = self.handle.status()
        if not self.rechecking and st.is_seeding and st.has_metadata:
            self.download_seconds = now - self.start
            self.downloaded = st.total_payload_download
            self.rechecking = True
            self.handle.force_recheck()
        if st.num_peers == 0 and now - self.last_dial > 2:
            self.last_dial = now
            for p in self.j.get("peers", []):
                host, port = p.rsplit(":", 1)
                self.handle.connect_peer((host.strip("[]"), int(port)))
        if now - self.start > self.j.get("timeout", 60):
            self.finish(False, "timeout: state %s progress %.3f peers %d; %s" % (
                st.state, st.progress, st.num_peers, " | ".join(self.log[-5:])))

    def finish(self, ok, error):
        self.done = True
        self.result = {"job": self.index, "ok": ok, "seconds": getattr(self, "download_seconds", None),
                       "hash_failures": self.hash_failures, "error": error,
                       "downloaded": getattr(self, "downloaded", 0)}
        print("RESULT " + json.dumps(self.result), flush=True)

running = [Job(i, j) for i, j in enumerate(jobs)]
leechers = [r for r in running if not r.j.get("seed")]
while not all(r.done for r in leechers) or (not leechers and sys.stdin.readline()):
    for r in running:
        r.step()
    time.sleep(0.05)
sys.exit(0 if all(r.result["ok"] for r in leechers) else 1)
