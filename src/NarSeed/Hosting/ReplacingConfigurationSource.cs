using Microsoft.Extensions.Configuration;

namespace NarSeed.Hosting;

/// <summary>
/// A layer of settings that replaces lists instead of merging them. The standard providers merge arrays index by
/// index, so <c>--origin a</c> over a file with two origins would give <c>[a, second]</c>; this layer hides the
/// elements of lower layers wherever it defines a list itself.
/// </summary>
public sealed class ReplacingConfigurationSource(IEnumerable<KeyValuePair<string, string?>> data) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new ReplacingConfigurationProvider(data);
}
