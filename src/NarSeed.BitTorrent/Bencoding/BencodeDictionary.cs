using System.Text;

namespace NarSeed.BitTorrent.Bencoding;

/// <summary>
/// A bencoded dictionary (<c>d…e</c>). Its keys are unique and sorted by raw bytes (the reader rejects anything
/// else), so lookups are binary searches. <see cref="BencodeValue.Encoded"/> is the exact original byte span.
/// </summary>
public sealed class BencodeDictionary : BencodeValue
{
    internal BencodeDictionary(
        IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BencodeValue>> entries, ReadOnlyMemory<byte> encoded)
        : base(encoded) => Entries = entries;

    /// <summary>The entries in key order.</summary>
    public IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BencodeValue>> Entries { get; }

    public bool TryGetValue(ReadOnlySpan<byte> key, out BencodeValue value)
    {
        int low = 0, high = Entries.Count - 1;
        while (low <= high)
        {
            var mid = low + (high - low) / 2;
            var order = Entries[mid].Key.Span.SequenceCompareTo(key);
            if (order == 0)
            {
                value = Entries[mid].Value;
                return true;
            }
            if (order < 0) low = mid + 1; else high = mid - 1;
        }
        value = null!;
        return false;
    }

    public bool TryGetValue(string key, out BencodeValue value) => TryGetValue(Encoding.UTF8.GetBytes(key), out value);

    /// <summary>The value under <paramref name="key"/> if it exists and has type <typeparamref name="T"/>.</summary>
    public T? Get<T>(string key) where T : BencodeValue => TryGetValue(key, out var value) ? value as T : null;

    public bool ContainsKey(string key) => TryGetValue(key, out _);
}
