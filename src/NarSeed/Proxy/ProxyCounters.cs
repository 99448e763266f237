namespace NarSeed.Proxy;

/// <summary>
/// Totals over all fetches since start and the most recent fetches one by one (what /api/proxy/status shows);
/// thread-safe.
/// </summary>
public sealed class ProxyCounters
{
    /// <summary>Fetches kept one by one: a closure or two of a typical Nix build, a few KB of JSON.</summary>
    public const int MaxRecentFetches = 100;

    private readonly Queue<FetchRecord> _recent = new();
    private long _narInfoHits;
    private long _narInfoMisses;
    private long _fetches;
    private long _failedFetches;
    private long _bytesFromPeers;
    private long _bytesFromWebSeeds;
    private long _bytesFromOrigins;
    private long _bytesFromCache;
    private long _peersBanned;

    public long NarInfoHits => Interlocked.Read(ref _narInfoHits);
    public long NarInfoMisses => Interlocked.Read(ref _narInfoMisses);
    public long Fetches => Interlocked.Read(ref _fetches);
    public long FailedFetches => Interlocked.Read(ref _failedFetches);
    public long BytesFromPeers => Interlocked.Read(ref _bytesFromPeers);
    public long BytesFromWebSeeds => Interlocked.Read(ref _bytesFromWebSeeds);
    public long BytesFromOrigins => Interlocked.Read(ref _bytesFromOrigins);
    public long BytesFromCache => Interlocked.Read(ref _bytesFromCache);
    public long PeersBanned => Interlocked.Read(ref _peersBanned);

    public void NarInfo(bool found) => Interlocked.Increment(ref found ? ref _narInfoHits : ref _narInfoMisses);

    public void Add(FetchRecord fetch)
    {
        Interlocked.Increment(ref _fetches);
        if (fetch.Source == FetchSource.Failed) Interlocked.Increment(ref _failedFetches);
        Interlocked.Add(ref _bytesFromPeers, fetch.BytesFromPeers);
        Interlocked.Add(ref _bytesFromWebSeeds, fetch.BytesFromWebSeeds);
        Interlocked.Add(ref _bytesFromOrigins, fetch.BytesFromOrigin);
        Interlocked.Add(ref _bytesFromCache, fetch.BytesFromCache);
        Interlocked.Add(ref _peersBanned, fetch.PeersBanned);
        lock (_recent)
        {
            if (_recent.Count == MaxRecentFetches) _recent.Dequeue();
            _recent.Enqueue(fetch);
        }
    }

    /// <summary>The last <see cref="MaxRecentFetches"/> fetches, oldest first: where each one's bytes came from.</summary>
    public IReadOnlyList<FetchRecord> Recent()
    {
        lock (_recent) return [.. _recent];
    }

    public ProxyStatus Snapshot() => new(NarInfoHits, NarInfoMisses, Fetches, FailedFetches, BytesFromPeers,
        BytesFromWebSeeds, BytesFromOrigins, BytesFromCache, PeersBanned);
}
