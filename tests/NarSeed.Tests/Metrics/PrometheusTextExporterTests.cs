using System.Diagnostics.Metrics;
using NarSeed.Metrics;

namespace NarSeed.Tests.Metrics;

/// <summary>The exporter's text, read back by the real Prometheus parser: types, names, HELP, labels, values.</summary>
public sealed class PrometheusTextExporterTests
{
    [Fact]
    public async Task Counters_and_gauges_parse_with_prometheus_client_and_keep_their_values()
    {
        using var meter = new Meter("NarSeed.Tests.Exporter");
        using var other = new Meter("NarSeed.Tests.Other");
        using var exporter = new PrometheusTextExporter(meter);
        var pushed = meter.CreateCounter<long>("test_pushed_bytes", "By", "Bytes counted by Add calls.");
        var observed = 12_345_678_901L;
        meter.CreateObservableCounter("test_observed_bytes_total", () => observed, "By", "An observable counter.");
        meter.CreateObservableGauge("test_rate_bytes_per_second", () => 1536.25, "By/s", "A gauge with \\ and\nnewline.");
        meter.CreateObservableGauge("test_labelled", () => new[]
        {
            new Measurement<int>(3, new KeyValuePair<string, object?>("state", "ready")),
            new Measurement<int>(1, new KeyValuePair<string, object?>("state", "re\"tired")),
        }, null, "Labels become label pairs.");
        other.CreateObservableGauge("not_ours", () => 1.0);
        pushed.Add(1000);
        pushed.Add(24);

        var text = exporter.Collect();
        var families = await PrometheusParser.ParseAsync(text);

        families.Keys.Should().BeEquivalentTo("test_pushed_bytes", "test_observed_bytes", "test_rate_bytes_per_second",
            "test_labelled");
        families["test_pushed_bytes"].Type.Should().Be("counter");
        families["test_pushed_bytes"].Samples.Single().Name.Should().Be("test_pushed_bytes_total");
        families["test_pushed_bytes"].Value.Should().Be(1024);
        families["test_observed_bytes"].Type.Should().Be("counter");
        families["test_observed_bytes"].Value.Should().Be(12_345_678_901);
        families["test_rate_bytes_per_second"].Type.Should().Be("gauge");
        families["test_rate_bytes_per_second"].Value.Should().Be(1536.25);
        families["test_rate_bytes_per_second"].Help.Should().Be("A gauge with \\ and\nnewline.");
        families["test_labelled"].Samples.Should().BeEquivalentTo(new[]
        {
            new MetricSample("test_labelled", new Dictionary<string, string> { ["state"] = "ready" }, 3),
            new MetricSample("test_labelled", new Dictionary<string, string> { ["state"] = "re\"tired" }, 1),
        });
        text.Should().Contain("# TYPE test_pushed_bytes_total counter\n")
            .And.Contain("# HELP test_observed_bytes_total An observable counter.\n");

        // Counters accumulate across collections; observable values are re-read.
        pushed.Add(1);
        observed = 5;
        var again = await PrometheusParser.ParseAsync(exporter.Collect());
        again["test_pushed_bytes"].Value.Should().Be(1025);
        again["test_observed_bytes"].Value.Should().Be(5);
    }
}
