using System.Text;

namespace NarSeed.BitTorrent.Bencoding;

/// <summary>A bencoded byte string (<c>N:…</c>).</summary>
public sealed class BencodeString : BencodeValue
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal BencodeString(ReadOnlyMemory<byte> bytes, ReadOnlyMemory<byte> encoded) : base(encoded) => Bytes = bytes;

    /// <summary>The raw bytes of the string (without the length prefix).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Decodes the bytes as UTF-8; returns false if they are not valid UTF-8.</summary>
    public bool TryGetUtf8(out string value)
    {
        try
        {
            value = StrictUtf8.GetString(Bytes.Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            value = "";
            return false;
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(Bytes.Span);
}
