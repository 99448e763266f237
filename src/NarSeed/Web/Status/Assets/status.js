// NarSeed status page: polls /api/status and /api/torrents every few seconds and updates the page in place.
// No external code: formatting, the SVG chart and the table are drawn here. Text from the node goes through
// textContent only, never innerHTML.
"use strict";
(() => {
  const REFRESH_MS = 2000;
  const state = { sort: "path", order: "asc", q: "", page: 1 };
  const $ = (id) => document.getElementById(id);

  const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  function bytes(n) {
    if (n === null || n === undefined) return "—";
    let i = 0;
    let v = n;
    while (Math.abs(v) >= 1024 && i < UNITS.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 2 : 1)) + " " + UNITS[i];
  }
  const rate = (n) => bytes(n) + "/s";
  const count = (n) => (n === null || n === undefined) ? "—" : Number(n).toLocaleString("en");
  function ago(iso) {
    if (!iso) return "never";
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }
  function set(id, text) { const el = $(id); if (el.textContent !== text) el.textContent = text; }

  async function getJson(url) {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  }

  function renderStatus(s) {
    set("nars-seeded", count(s.narsSeeded));
    set("nars-ready", count(s.narsReady));
    set("bytes-held", bytes(s.bytesHeld));
    set("peers-connected", count(s.peersConnected));
    set("bt-port", s.swarmRunning ? String(s.bitTorrentPort) : "not seeding");
    set("rate-now", rate(s.uploadRateNow));
    set("rate-hour", rate(s.uploadRateLastHour));
    set("uploaded", bytes(s.uploadedBytes));
    set("origin-saved", bytes(s.originBytesSaved));
    set("lsd", s.discovery.localDiscovery);
    set("nars-at-risk", count(s.narsAtRisk));
    const trackers = $("trackers");
    trackers.replaceChildren(...(s.discovery.trackers.length ? s.discovery.trackers : [null]).map((t) => {
      const li = document.createElement("li");
      if (!t) { li.textContent = "no trackers configured"; return li; }
      const url = document.createElement("span");
      url.className = "url";
      url.textContent = t.url;
      const st = document.createElement("span");
      st.className = "state";
      st.textContent = t.state;
      li.append(url, st);
      return li;
    }));
    const gc = s.gc;
    set("gc-roots", count(gc.roots));
    set("gc-closure", count(gc.closureNars));
    set("gc-closure-bytes", bytes(gc.closureBytes));
    set("gc-reclaimable", bytes(gc.reclaimableBytes));
    $("gc-reclaimable").title = count(gc.reclaimableNars) + " retired nars, deleted after the grace period";
    set("gc-quota", gc.diskQuotaBytes ? (gc.quotaUsed * 100).toFixed(1) + " %" : "no quota");
    $("gc-quota").title = gc.diskQuotaBytes ? "of " + bytes(gc.diskQuotaBytes) : "";
    set("gc-failures", count(gc.failedPasses));
    const last = gc.lastPass;
    set("gc-last-pass", last ? ago(last.finishedAt) : "not yet");
    $("gc-last-pass").title = last
      ? "pass " + count(gc.passes) + ": took " + last.durationSeconds.toFixed(2) + " s, stopped seeding " + count(last.retired) +
        ", deleted " + count(last.deleted) + " (" + bytes(last.bytesFreed) + "), brought back " + count(last.revived)
      : "";
    const bar = $("quota-bar");
    const used = gc.diskQuotaBytes ? Math.min(1, gc.quotaUsed) : 0;
    bar.style.width = (used * 100).toFixed(1) + "%";
    bar.classList.toggle("full", used >= 0.95);
    const m = s.mirror;
    set("mirror-state", m.running ? "running" : "not running");
    set("mirror-progress", m.pathsKnown ? count(m.pathsDone) + " / " + count(m.pathsKnown) + " paths" : "—");
    set("mirror-failures", count(m.failures));
    const err = $("mirror-error");
    err.hidden = !m.lastError;
    err.textContent = m.lastError || "";
    const health = $("health");
    health.textContent = s.swarmRunning ? "seeding" : "not seeding";
    health.className = "pill " + (s.swarmRunning ? "ok" : "bad");
    set("updated", new Date(s.generatedAt).toLocaleTimeString());
    drawChart(s.uploadHistory);
  }

  function drawChart(samples) {
    const W = 600, H = 160, PAD = 4;
    if (!samples || samples.length < 2) {
      $("chart-line").setAttribute("d", "");
      $("chart-area").setAttribute("d", "");
      set("chart-max", "(collecting samples…)");
      return;
    }
    const t0 = Date.parse(samples[0].at);
    const t1 = Date.parse(samples[samples.length - 1].at);
    const span = Math.max(1, t1 - t0);
    let max = 0;
    for (const p of samples) max = Math.max(max, p.bytesPerSecond);
    const top = niceCeiling(max);
    const points = samples.map((p) => [
      ((Date.parse(p.at) - t0) / span) * W,
      H - PAD - (top > 0 ? (p.bytesPerSecond / top) * (H - 2 * PAD) : 0),
    ]);
    const line = points.map((p, i) => (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1)).join(" ");
    $("chart-line").setAttribute("d", line);
    $("chart-area").setAttribute("d", line + " L" + W + " " + H + " L0 " + H + " Z");
    set("chart-max", "· peak scale " + rate(top));
    const minutes = Math.round(span / 60000);
    set("chart-from", minutes >= 1 ? minutes + " min ago" : Math.round(span / 1000) + " s ago");
    set("chart-span", "· " + samples.length + " samples");
  }

  function niceCeiling(v) {
    if (v <= 0) return 0;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function renderTorrents(t) {
    const body = document.querySelector("#torrents tbody");
    const rows = t.rows.map((r) => {
      const tr = document.createElement("tr");
      tr.dataset.path = r.storePath;
      if (r.atRisk) tr.classList.add("at-risk");
      const cell = (text, cls) => {
        const td = document.createElement("td");
        if (cls) td.className = cls;
        td.textContent = text;
        tr.append(td);
        return td;
      };
      const path = cell(r.storePath, "path");
      path.title = r.infoHash ? "info-hash " + r.infoHash : "no torrent yet";
      if (r.state !== "ready") {
        tr.classList.add("not-seeded");
        const badge = document.createElement("span");
        badge.className = "state-badge";
        badge.textContent = r.state;
        path.append(badge);
      }
      if (r.atRisk) {
        const badge = document.createElement("span");
        badge.className = "risk";
        badge.textContent = "at risk";
        path.append(badge);
      }
      cell(bytes(r.sizeBytes), "num size hide-narrow");
      cell(count(r.peers), "num peers");
      cell(r.knownSeeders === null ? "?" : count(r.knownSeeders), "num seeds hide-narrow");
      cell(bytes(r.uploadedBytes), "num uploaded");
      cell(ago(r.lastActivity), "activity hide-narrow");
      return tr;
    });
    if (rows.length === 0) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 6;
      td.className = "empty";
      td.textContent = t.query ? "no store path matches" : "nothing seeded yet";
      tr.append(td);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    const more = t.totalIsLowerBound ? "+" : "";
    set("torrent-count", "(" + count(t.totalRows) + more + (t.query ? " matching" : "") + ")");
    set("page-info", "page " + t.page + " of " + Math.max(1, t.totalPages) + more);
    $("prev").disabled = t.page <= 1;
    $("next").disabled = t.totalIsLowerBound ? t.rows.length < t.pageSize : t.page >= t.totalPages;
    for (const th of document.querySelectorAll("th[data-sort]")) {
      th.setAttribute("aria-sort", th.dataset.sort === t.sort ? (t.order === "asc" ? "ascending" : "descending") : "none");
    }
  }

  let generation = 0;
  async function refresh() {
    const mine = ++generation;
    const params = new URLSearchParams({ sort: state.sort, order: state.order, page: String(state.page) });
    if (state.q) params.set("q", state.q);
    try {
      const [status, torrents] = await Promise.all([getJson("/api/status"), getJson("/api/torrents?" + params)]);
      if (mine !== generation) return; // a newer request (search, sort, page) overtook this one
      renderStatus(status);
      renderTorrents(torrents);
      document.body.dataset.loaded = String(mine);
    } catch (e) {
      const health = $("health");
      health.textContent = "node unreachable";
      health.className = "pill bad";
    }
  }

  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.addEventListener("click", () => {
      const column = th.dataset.sort;
      if (state.sort === column) state.order = state.order === "asc" ? "desc" : "asc";
      else { state.sort = column; state.order = column === "path" ? "asc" : "desc"; }
      state.page = 1;
      refresh();
    });
  }
  let searchTimer = 0;
  $("search").addEventListener("input", (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = e.target.value.trim(); state.page = 1; refresh(); }, 250);
  });
  $("prev").addEventListener("click", () => { if (state.page > 1) { state.page--; refresh(); } });
  $("next").addEventListener("click", () => { state.page++; refresh(); });

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
