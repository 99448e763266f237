using Microsoft.Win32.SafeHandles;

namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// A small cache of read-only file handles shared by every peer of every torrent: positioned reads
/// (<see cref="RandomAccess"/>) need no per-peer handle or position. Least recently used idle handles are closed when
/// the cache is full.
/// </summary>
internal sealed class FileHandleCache : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private long _clock;
    private bool _disposed;

    public FileHandleCache(int capacity) => _capacity = capacity;

    public int OpenCount { get { lock (_lock) return _entries.Count; } }

    /// <summary>Opens (or reuses) a handle; dispose the lease when the read is done.</summary>
    public Lease Rent(string path)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(path, out var entry))
            {
                if (_entries.Count >= _capacity) EvictIdle();
                entry = new Entry(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                _entries.Add(path, entry);
            }
            entry.Users++;
            entry.LastUse = ++_clock;
            return new Lease(this, path, entry.Handle);
        }
    }

    /// <summary>Closes an idle handle for <paramref name="path"/> (e.g. when its torrent is unregistered).</summary>
    public void Forget(string path)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(path, out var entry) && entry.Users == 0)
            {
                entry.Handle.Dispose();
                _entries.Remove(path);
            }
        }
    }

    private void Return(string path)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(path, out var entry)) return;
            entry.Users--;
            if (_disposed && entry.Users == 0) entry.Handle.Dispose();
        }
    }

    private void EvictIdle()
    {
        string? oldest = null;
        long oldestUse = long.MaxValue;
        foreach (var (path, entry) in _entries)
        {
            if (entry.Users == 0 && entry.LastUse < oldestUse) (oldest, oldestUse) = (path, entry.LastUse);
        }
        // When every handle is in use the cache grows past its capacity for a moment rather than fail a read.
        if (oldest is not null && _entries.Remove(oldest, out var evicted)) evicted.Handle.Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var entry in _entries.Values)
            {
                if (entry.Users == 0) entry.Handle.Dispose();
            }
        }
    }

    private sealed class Entry(SafeFileHandle handle)
    {
        public SafeFileHandle Handle { get; } = handle;
        public int Users { get; set; }
        public long LastUse { get; set; }
    }

    /// <summary>A borrowed handle; valid until disposed.</summary>
    public readonly struct Lease(FileHandleCache cache, string path, SafeFileHandle handle) : IDisposable
    {
        public SafeFileHandle Handle { get; } = handle;

        public void Dispose() => cache.Return(path);
    }
}
