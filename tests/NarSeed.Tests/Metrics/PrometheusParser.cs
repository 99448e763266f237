using System.Text.Json;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Metrics;

/// <summary>Parses exposition text with the real Prometheus client's parser (Debian's python3-prometheus-client).</summary>
internal static class PrometheusParser
{
    // Reads the text on stdin, prints {family: {type, help, samples: [[name, labels, value]]}} as JSON.
    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = {}
        for f in text_string_to_metric_families(sys.stdin.read()):
            out[f.name] = {"type": f.type, "help": f.documentation,
                           "samples": [[s.name, s.labels, s.value] for s in f.samples]}
        print(json.dumps(out))
        """;

    public static async Task<Dictionary<string, MetricFamily>> ParseAsync(string text)
    {
        var result = await ProcessRunner.RunAsync(ExternalTool.Require(ExternalTool.DebianPython), ["-c", Script],
            TimeSpan.FromSeconds(30), standardInput: text);
        result.ExitCode.Should().Be(0, $"prometheus_client must parse the exposition:\n{result.StandardError}\n{text}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.EnumerateObject().ToDictionary(f => f.Name, f => new MetricFamily(
            f.Value.GetProperty("type").GetString()!, f.Value.GetProperty("help").GetString()!,
            f.Value.GetProperty("samples").EnumerateArray().Select(s => new MetricSample(s[0].GetString()!,
                s[1].EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!), s[2].GetDouble())).ToList()));
    }
}

internal sealed record MetricFamily(string Type, string Help, IReadOnlyList<MetricSample> Samples)
{
    /// <summary>The value of the family's only sample.</summary>
    public double Value => Samples.Should().ContainSingle().Subject.Value;
}

internal sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
