namespace NarSeed.BitTorrent.Bencoding;

/// <summary>A bencoded integer (<c>i…e</c>).</summary>
public sealed class BencodeInteger : BencodeValue
{
    internal BencodeInteger(long value, ReadOnlyMemory<byte> encoded) : base(encoded) => Value = value;

    public long Value { get; }

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
