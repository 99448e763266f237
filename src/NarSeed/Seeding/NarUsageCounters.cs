using System.Collections.Concurrent;
using NarSeed.Catalog;

namespace NarSeed.Seeding;

/// <summary>
/// Per-nar HTTP request and upload counts gathered in memory (a SQLite write per narinfo request would cap serving at a
/// few thousand a second) and added to the catalog's counters by <see cref="FlushAsync"/>, which the seeding service
/// calls now and then and at shutdown. Thread-safe.
/// </summary>
public sealed class NarUsageCounters
{
    private ConcurrentDictionary<long, Usage> _pending = new();

    public void RecordRequest(long narId) => _pending.GetOrAdd(narId, _ => new Usage()).AddRequest();

    public void RecordUpload(long narId, long bytes) => _pending.GetOrAdd(narId, _ => new Usage()).AddBytes(bytes);

    /// <summary>Writes what was gathered since the last flush into the catalog; returns how many nars it touched.</summary>
    public async Task<int> FlushAsync(NarCatalog catalog, CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<long, Usage>());
        foreach (var (narId, usage) in batch)
        {
            await catalog.AddUsageAsync(narId, usage.Requests, usage.Bytes, cancellationToken);
        }
        return batch.Count;
    }

    private sealed class Usage
    {
        private long _requests;
        private long _bytes;

        public long Requests => Interlocked.Read(ref _requests);

        public long Bytes => Interlocked.Read(ref _bytes);

        public void AddRequest() => Interlocked.Increment(ref _requests);

        public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);
    }
}
