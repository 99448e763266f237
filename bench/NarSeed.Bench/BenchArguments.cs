using System.Globalization;

namespace NarSeed.Bench;

/// <summary>Small helpers shared by the download benchmarks: arguments, medians, rates.</summary>
internal static class BenchArguments
{
    public static int Int(IReadOnlyList<string> arguments, string name, int fallback)
    {
        var index = arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < arguments.Count ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Rate(long bytes, double seconds) => $"{bytes / seconds / 1e6:F0} MB/s ({seconds:F2} s)";
}
