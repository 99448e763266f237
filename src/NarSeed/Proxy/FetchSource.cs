namespace NarSeed.Proxy;

/// <summary>Where a nar's bytes came from, for the per-fetch log and the totals.</summary>
public enum FetchSource
{
    Cache,
    Swarm,
    Origin,
    Failed,
}
