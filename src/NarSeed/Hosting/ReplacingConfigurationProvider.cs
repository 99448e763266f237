using Microsoft.Extensions.Configuration;

namespace NarSeed.Hosting;

/// <summary>The provider of <see cref="ReplacingConfigurationSource"/>.</summary>
public sealed class ReplacingConfigurationProvider : ConfigurationProvider
{
    public ReplacingConfigurationProvider(IEnumerable<KeyValuePair<string, string?>> data)
    {
        foreach (var (key, value) in data)
        {
            Data[key] = value;
        }
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        var mine = base.GetChildKeys([], parentPath).ToList();
        var isList = mine.Count > 0 && mine.All(k => int.TryParse(k, out _));
        // Lower layers see their children hidden only under a list this layer defines; elsewhere they merge.
        return isList ? mine : base.GetChildKeys(earlierKeys, parentPath);
    }
}
