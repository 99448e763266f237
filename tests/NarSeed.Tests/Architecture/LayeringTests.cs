using System.Reflection;

namespace NarSeed.Tests.Architecture;

/// <summary>
/// The three libraries depend in one direction only: the protocol and the substitute formats know nothing of each
/// other, and neither knows the host. This test makes that direction impossible to break silently.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly BitTorrent = typeof(NarSeed.BitTorrent.AssemblyMarker).Assembly;
    private static readonly Assembly Substitutes = typeof(NarSeed.Substitutes.AssemblyMarker).Assembly;

    [Fact]
    public void BitTorrent_knows_nothing_of_Nix_or_the_host()
    {
        References(BitTorrent).Should().NotContain(n =>
            n.StartsWith("NarSeed", StringComparison.Ordinal) ||
            n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ||
            n.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) ||
            n.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal));
    }

    [Fact]
    public void Substitutes_knows_nothing_of_BitTorrent_or_the_host()
    {
        References(Substitutes).Should().NotContain(n =>
            n.StartsWith("NarSeed", StringComparison.Ordinal) ||
            n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ||
            n.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) ||
            n.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal));
    }

    private static IEnumerable<string> References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");
}
