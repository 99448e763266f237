namespace NarSeed.Tests.Support;

/// <summary>
/// Tests whose acceptance is a wall-clock bound (a 404 within a second, a page of 100,000 torrents within 100 ms) run
/// in this collection: xunit runs it alone, after the parallel ones, so real Nix, libtorrent and nginx started by
/// other tests on the same two cores cannot push them over their bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "timing-sensitive";
}
