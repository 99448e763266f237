using System.Diagnostics.Metrics;
using NarSeed.Status;

namespace NarSeed.Metrics;

/// <summary>
/// The node's System.Diagnostics.Metrics instruments (meter <see cref="MeterName"/>). They are observable: each
/// collection reads the latest <see cref="StatusReport"/> given to <see cref="Update"/>, so <c>/metrics</c> reports the
/// very figures <c>/api/status</c> does. Names carry their unit (<c>_bytes</c>, <c>_seconds</c>); the Prometheus
/// exporter adds <c>_total</c> to counters.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "NarSeed";

    private StatusReport? _report;

    public NodeMetrics()
    {
        Meter = new Meter(MeterName);
        Counter("narseed_peer_uploaded_bytes", "By",
            "Bytes of nar data uploaded to BitTorrent peers since the node started.", r => r.UploadedBytes);
        Counter("narseed_gc_failed_passes", "{pass}", "GC passes that failed since the node started.",
            r => r.Gc.FailedPasses);
        Counter("narseed_gc_passes", "{pass}", "GC passes completed since the node started.", r => r.Gc.Passes);
        GaugeDouble("narseed_gc_last_pass_duration_seconds", "s", "How long the latest GC pass took (0: none yet).",
            r => r.Gc.LastPass?.DurationSeconds ?? 0);
        GaugeDouble("narseed_gc_last_pass_timestamp_seconds", "s",
            "When the latest GC pass finished, in Unix seconds (0: none yet).",
            r => r.Gc.LastPass is { } pass ? pass.FinishedAt.ToUnixTimeMilliseconds() / 1000.0 : 0);
        Counter("narseed_mirror_failures", "{failure}", "Store paths the mirror failed to fetch or verify.",
            r => r.Mirror.Failures);
        Counter("narseed_tracker_announce_failures", "{announce}", "Tracker announces that failed since the node started.",
            r => r.Discovery.TrackerAnnounceFailures);
        Gauge("narseed_nars_at_risk", "{nar}", "Seeded nars for which scrapes show no seeder besides this node.",
            r => r.NarsAtRisk);
        Gauge("narseed_origin_saved_bytes", "By",
            "Bytes peers got from the swarm instead of the origin, over the nars the catalog still holds.",
            r => r.OriginBytesSaved);
        Gauge("narseed_nars_seeded", "{nar}", "Torrents registered with the seeding engine.", r => r.NarsSeeded);
        Gauge("narseed_nars_ready", "{nar}", "Nars in the catalog that are ready to seed.", r => r.NarsReady);
        Gauge("narseed_held_bytes", "By", "Bytes of nar files held in the state directory.", r => r.BytesHeld);
        Gauge("narseed_store_paths", "{path}", "Store paths in the catalog.", r => r.StorePaths);
        Gauge("narseed_peers_connected", "{peer}", "BitTorrent peers connected now.", r => r.PeersConnected);
        GaugeDouble("narseed_upload_rate_bytes_per_second", "By/s", "Upload rate over the last sample interval.",
            r => r.UploadRateNow);
        GaugeDouble("narseed_upload_rate_last_hour_bytes_per_second", "By/s",
            "Average upload rate over the last hour (or since start).", r => r.UploadRateLastHour);
        Gauge("narseed_gc_roots", "{root}", "GC roots.", r => r.Gc.Roots);
        Gauge("narseed_gc_closure_nars", "{nar}", "Nars in the roots' closures (ready).", r => r.Gc.ClosureNars);
        Gauge("narseed_gc_closure_bytes", "By", "Bytes of the nars in the roots' closures.", r => r.Gc.ClosureBytes);
        Gauge("narseed_gc_reclaimable_bytes", "By", "Bytes of retired nars, deleted after the grace period.",
            r => r.Gc.ReclaimableBytes);
        Gauge("narseed_disk_quota_bytes", "By", "The configured disk quota (0: none).", r => r.Gc.DiskQuotaBytes ?? 0);
        Gauge("narseed_mirror_paths_done", "{path}", "Store paths the mirror has finished.", r => r.Mirror.PathsDone);
        GaugeDouble("narseed_uptime_seconds", "s", "Seconds since the node started.", r => r.UptimeSeconds);
    }

    public Meter Meter { get; }

    /// <summary>The report the next collection reads.</summary>
    public void Update(StatusReport report) => Volatile.Write(ref _report, report);

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<long>> Observe(Func<StatusReport, long> read) =>
        Volatile.Read(ref _report) is { } report ? [new Measurement<long>(read(report))] : [];

    private void Counter(string name, string unit, string description, Func<StatusReport, long> read) =>
        Meter.CreateObservableCounter(name, () => Observe(read), unit, description);

    private void Gauge(string name, string unit, string description, Func<StatusReport, long> read) =>
        Meter.CreateObservableGauge(name, () => Observe(read), unit, description);

    private void GaugeDouble(string name, string unit, string description, Func<StatusReport, double> read) =>
        Meter.CreateObservableGauge<double>(name, () => ObserveDouble(read), unit, description);

    private IEnumerable<Measurement<double>> ObserveDouble(Func<StatusReport, double> read) =>
        Volatile.Read(ref _report) is { } report ? [new Measurement<double>(read(report))] : [];
}
