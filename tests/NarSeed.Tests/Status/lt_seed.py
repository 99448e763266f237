# Downloads one torrent with real libtorrent (python3-libtorrent, Debian's /usr/bin/python3) from the node, then keeps
# seeding it and announcing to the torrent's trackers, as a volunteer would: DHT, LSD, UPnP, NAT-PMP, uTP off, 127.0.0.1.
# Usage: lt_seed.py TORRENT SAVE_DIR PEER_HOST PEER_PORT TIMEOUT_SECONDS
# Prints "DONE <bytes>" once it has the whole file and "ANNOUNCED" after a tracker accepted its seeding announce, then
# seeds until TIMEOUT_SECONDS have passed since start (or it is killed). Exits 1 on timeout before DONE or on error.
import sys, time
import libtorrent as lt

torrent, save, host, port, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
s = lt.session({
    "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False, "enable_upnp": False,
    "enable_natpmp": False, "enable_incoming_utp": False, "enable_outgoing_utp": False,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
                  | lt.alert.category_t.tracker_notification,
})
atp = lt.add_torrent_params()
atp.ti = lt.torrent_info(torrent)
atp.save_path = save
atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
h = s.add_torrent(atp)
start = time.monotonic()
last_dial = 0.0
done = False
while time.monotonic() - start < timeout:
    st = h.status()
    if st.is_seeding and not done:
        done = True
        print("DONE %d" % st.total_payload_download, flush=True)
        h.force_reannounce()  # tell the tracker at once that this client now seeds
    if not done and time.monotonic() - last_dial > 2 and st.num_peers == 0:
        h.connect_peer((host, port))
        last_dial = time.monotonic()
    for a in s.pop_alerts():
        if isinstance(a, lt.torrent_error_alert):
            print("ERROR " + a.message(), flush=True)
            sys.exit(1)
        if done and isinstance(a, lt.tracker_reply_alert):
            print("ANNOUNCED", flush=True)
    time.sleep(0.1)
if not done:
    print("TIMEOUT progress=%.3f peers=%d" % (h.status().progress, h.status().num_peers), flush=True)
    sys.exit(1)
