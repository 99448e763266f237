namespace NarSeed.BitTorrent.Bencoding;

/// <summary>A bencoded list (<c>l…e</c>).</summary>
public sealed class BencodeList : BencodeValue
{
    internal BencodeList(IReadOnlyList<BencodeValue> items, ReadOnlyMemory<byte> encoded) : base(encoded) =>
        Items = items;

    public IReadOnlyList<BencodeValue> Items { get; }
}
