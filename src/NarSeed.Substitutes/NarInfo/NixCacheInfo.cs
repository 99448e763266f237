using System.Globalization;
using System.Text;

namespace NarSeed.Substitutes.NarInfo;

/// <summary>
/// <c>nix-cache-info</c> (binary-cache-store.cc <c>init()</c>; substitutes.md §1.4): <c>Key: value</c> lines, values
/// trimmed, lines without ':' skipped, unknown keys ignored.
/// </summary>
public sealed record NixCacheInfo
{
    /// <summary>NarSeed choice: real files are three short lines.</summary>
    public const int MaxBytes = 64 * 1024;

    public string? StoreDir { get; init; }

    public bool? WantMassQuery { get; init; }

    /// <summary>Lower is preferred; nix-serve and harmonia advertise 30, guix publish 100.</summary>
    public int? Priority { get; init; }

    public static NixCacheInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new NarInfoFormatException(NarInfoErrorReason.TooLarge, 0, $"nix-cache-info larger than MaxBytes = {MaxBytes}.");
        }
        var info = new NixCacheInfo();
        var lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (name)
            {
                case "StoreDir":
                    info = info with { StoreDir = value };
                    break;
                case "WantMassQuery":
                    info = info with { WantMassQuery = value == "1" };
                    break;
                case "Priority":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority))
                    {
                        throw new NarInfoFormatException(NarInfoErrorReason.BadNumber, lineNo, $"Priority '{value}' is not a number.");
                    }
                    info = info with { Priority = priority };
                    break;
            }
        }
        return info;
    }

    public string Serialize()
    {
        var b = new StringBuilder();
        if (StoreDir is not null) b.Append("StoreDir: ").Append(StoreDir).Append('\n');
        if (WantMassQuery is { } w) b.Append("WantMassQuery: ").Append(w ? '1' : '0').Append('\n');
        if (Priority is { } p) b.Append("Priority: ").Append(p.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return b.ToString();
    }
}
