using System.Buffers;

namespace NarSeed.Mirror;

/// <summary>
/// A pooled buffer of downloaded nar bytes shared, read-only, by the consumers of one <see cref="NarIngestStream"/>;
/// each holder releases it once, and the last release returns the buffer to the pool.
/// </summary>
internal sealed class IngestChunk
{
    private readonly byte[] _buffer;
    private int _holders;

    public IngestChunk(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        Capacity = capacity;
        _holders = 1;
    }

    public int Capacity { get; }

    public int Length { get; private set; }

    public bool IsFull => Length == Capacity;

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Copies as much of <paramref name="data"/> as fits; returns how much that was.</summary>
    public int Fill(ReadOnlySpan<byte> data)
    {
        var n = Math.Min(data.Length, Capacity - Length);
        data[..n].CopyTo(_buffer.AsSpan(Length));
        Length += n;
        return n;
    }

    /// <summary>Adds <paramref name="count"/> holders (before handing the chunk to consumers).</summary>
    public void Share(int count) => Interlocked.Add(ref _holders, count);

    public void Release()
    {
        var left = Interlocked.Decrement(ref _holders);
        if (left == 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("An ingest chunk was released more often than it was shared.");
        }
    }
}
