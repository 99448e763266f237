using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace NarSeed.Metrics;

/// <summary>
/// Writes one meter's instruments in the Prometheus text exposition format (version 0.0.4): a <c># HELP</c> and a
/// <c># TYPE</c> line per metric family, then its samples. A <see cref="MeterListener"/> gathers the measurements:
/// observable instruments are read on each <see cref="Collect"/>, counters and up-down counters accumulate between
/// collections. Counter names end in <c>_total</c>; other names are the instrument's, dots made underscores.
/// </summary>
public sealed class PrometheusTextExporter : IDisposable
{
    /// <summary>The content type Prometheus expects for the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly object _lock = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, Dictionary<string, double>> _values = [];
    private readonly List<Instrument> _instruments = [];

    public PrometheusTextExporter(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter)) return;
            lock (_lock) _instruments.Add(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Reads every observable instrument and returns the whole exposition text.</summary>
    public string Collect()
    {
        lock (_lock)
        {
            foreach (var (instrument, values) in _values)
            {
                if (IsObservable(instrument)) values.Clear();
            }
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var instrument in _instruments.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var name = MetricName(instrument);
                var type = IsCounter(instrument) ? "counter" : "gauge";
                text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description ?? name)).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                if (!_values.TryGetValue(instrument, out var values)) continue;
                foreach (var (labels, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    text.Append(name).Append(labels).Append(' ').Append(FormatValue(value)).Append('\n');
                }
            }
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_lock)
        {
            if (!_values.TryGetValue(instrument, out var values)) _values[instrument] = values = new(StringComparer.Ordinal);
            // Observable instruments report the current value; Counter and UpDownCounter report increments.
            var accumulates = instrument is Counter<long> or Counter<int> or Counter<double>
                or UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>;
            values[labels] = accumulates ? values.GetValueOrDefault(labels) + value : value;
        }
    }

    private static bool IsObservable(Instrument instrument) => instrument.IsObservable;

    private static bool IsCounter(Instrument instrument) =>
        instrument is Counter<long> or Counter<int> or Counter<double>
            or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>;

    /// <summary>The family name: [a-zA-Z_:][a-zA-Z0-9_:]*, counters ending in <c>_total</c>.</summary>
    public static string MetricName(Instrument instrument)
    {
        var builder = new StringBuilder(instrument.Name.Length + 6);
        foreach (var c in instrument.Name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0])) builder.Insert(0, '_');
        var name = builder.ToString();
        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var labelName = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{labelName}=\"{text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(",", pairs) + "}";
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");

    private static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("F0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
