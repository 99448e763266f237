namespace NarSeed.Proxy;

/// <summary>The proxy's totals as served at <c>/api/proxy/status</c>.</summary>
public sealed record ProxyStatus(
    long NarInfoHits,
    long NarInfoMisses,
    long Fetches,
    long FailedFetches,
    long BytesFromPeers,
    long BytesFromWebSeeds,
    long BytesFromOrigins,
    long BytesFromCache,
    long PeersBanned);
