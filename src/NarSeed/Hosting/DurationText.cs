using System.Globalization;

namespace NarSeed.Hosting;

/// <summary>Durations as people type them: <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>, or TimeSpan's <c>d.hh:mm:ss</c>.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        var unit = text[^1] switch
        {
            'd' => TimeSpan.FromDays(1),
            'h' => TimeSpan.FromHours(1),
            'm' => TimeSpan.FromMinutes(1),
            's' => TimeSpan.FromSeconds(1),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero)
        {
            // A bare number is ambiguous (TimeSpan reads "12" as 12 days): the TimeSpan form needs its colons.
            return text.Contains(':') &&
                   TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration) &&
                   duration >= TimeSpan.Zero;
        }
        if (!double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var count) ||
            count * unit.TotalSeconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }
        duration = unit * count;
        return true;
    }
}
