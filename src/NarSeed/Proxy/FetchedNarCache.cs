using Microsoft.Extensions.Options;

namespace NarSeed.Proxy;

/// <summary>
/// Fetched nars on disk under <c>STATE/cache</c>, at most <see cref="ProxyOptions.CacheSize"/> bytes, least recently
/// used evicted first. Only nars whose bytes matched the narinfo's FileHash get in. Files being seeded are pinned.
/// </summary>
public sealed class FetchedNarCache
{
    private readonly object _lock = new();
    private readonly LinkedList<Entry> _order = new(); // most recently used first
    private readonly Dictionary<string, LinkedListNode<Entry>> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pinned = new(StringComparer.Ordinal);
    private readonly long _capacity;
    private long _size;

    public FetchedNarCache(IOptions<ProxyOptions> options)
    {
        _capacity = options.Value.CacheSize;
        Directory = Path.Combine(options.Value.State, "cache");
        System.IO.Directory.CreateDirectory(Directory);
        // Start with what a previous run left, oldest access last.
        foreach (var file in new DirectoryInfo(Directory).GetFiles().OrderByDescending(f => f.LastAccessTimeUtc))
        {
            if (file.Name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                file.Delete();
                continue;
            }
            _byName[file.Name] = _order.AddLast(new Entry(file.Name, file.Length));
            _size += file.Length;
        }
        lock (_lock) Evict();
    }

    public string Directory { get; }

    public long Size => Interlocked.Read(ref _size);

    public int Count
    {
        get
        {
            lock (_lock) return _byName.Count;
        }
    }

    /// <summary>A path for a new file to fill and then <see cref="Add"/>.</summary>
    public string NewTemporaryPath() => Path.Combine(Directory, Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>Opens a cached nar and marks it used; false when it is not cached.</summary>
    public bool TryOpen(string name, out FileStream stream)
    {
        lock (_lock)
        {
            stream = null!;
            if (!_byName.TryGetValue(name, out var node)) return false;
            try
            {
                stream = new FileStream(Path.Combine(Directory, name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                    bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            }
            catch (FileNotFoundException)
            {
                Remove(node);
                return false;
            }
            _order.Remove(node);
            _order.AddFirst(node);
            return true;
        }
    }

    /// <summary>Moves a finished file in under <paramref name="name"/>; returns its path, or null if it does not fit.</summary>
    public string? Add(string temporaryPath, string name)
    {
        var length = new FileInfo(temporaryPath).Length;
        lock (_lock)
        {
            if (length > _capacity)
            {
                File.Delete(temporaryPath);
                return null;
            }
            var path = Path.Combine(Directory, name);
            if (_byName.TryGetValue(name, out var old)) Remove(old);
            File.Move(temporaryPath, path, overwrite: true);
            _byName[name] = _order.AddFirst(new Entry(name, length));
            _size += length;
            Evict();
            return _byName.ContainsKey(name) ? path : null;
        }
    }

    /// <summary>Keeps a file from eviction (while it is seeded).</summary>
    public void Pin(string name)
    {
        lock (_lock) _pinned.Add(name);
    }

    public void Unpin(string name)
    {
        lock (_lock)
        {
            _pinned.Remove(name);
            Evict();
        }
    }

    private void Evict()
    {
        var node = _order.Last;
        while (_size > _capacity && node is not null)
        {
            var previous = node.Previous;
            if (!_pinned.Contains(node.Value.Name))
            {
                File.Delete(Path.Combine(Directory, node.Value.Name));
                Remove(node);
            }
            node = previous;
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _order.Remove(node);
        _byName.Remove(node.Value.Name);
        _size -= node.Value.Length;
    }

    private sealed record Entry(string Name, long Length);
}
