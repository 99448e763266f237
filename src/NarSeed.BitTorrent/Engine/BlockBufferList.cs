using System.Collections;

namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// A reusable list of block buffers for one vector read (<see cref="RandomAccess.Read(Microsoft.Win32.SafeHandles.SafeFileHandle, IReadOnlyList{Memory{byte}}, long)"/>),
/// so a batch allocates nothing.
/// </summary>
internal sealed class BlockBufferList(int capacity) : IReadOnlyList<Memory<byte>>
{
    private readonly Memory<byte>[] _items = new Memory<byte>[capacity];

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    public Memory<byte> this[int index] => (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Add(Memory<byte> buffer) => _items[Count++] = buffer;

    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    public IEnumerator<Memory<byte>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return _items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
