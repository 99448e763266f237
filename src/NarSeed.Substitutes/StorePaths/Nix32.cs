namespace NarSeed.Substitutes.StorePaths;

/// <summary>
/// Nix's base-32 ("nix32"): the bytes read as one little-endian integer, printed most significant digit first in the
/// alphabet without e, o, u, t. Source: NixOS/nix src/libutil/base-nix-32.cc (substitutes.md §2).
/// </summary>
public static class Nix32
{
    /// <summary>The 32 symbols, in digit order.</summary>
    public const string Alphabet = "0123456789abcdfghijklmnpqrsvwxyz";

    private static readonly sbyte[] DigitOf = BuildDigitTable();

    /// <summary>Characters needed for <paramref name="byteCount"/> bytes: (8n − 1) / 5 + 1, and 0 for no bytes.</summary>
    public static int EncodedLength(int byteCount) => byteCount == 0 ? 0 : (byteCount * 8 - 1) / 5 + 1;

    /// <summary>Bytes a nix32 string of <paramref name="charCount"/> characters decodes to: floor(5c / 8).</summary>
    public static int DecodedLength(int charCount) => charCount * 5 / 8;

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var length = EncodedLength(bytes.Length);
        return string.Create(length, bytes.ToArray(), static (chars, input) =>
        {
            for (var p = 0; p < chars.Length; p++)
            {
                var bit = (chars.Length - 1 - p) * 5;
                var i = bit / 8;
                var j = bit % 8;
                var value = input[i] >> j;
                if (i + 1 < input.Length)
                {
                    value |= input[i + 1] << (8 - j);
                }
                chars[p] = Alphabet[value & 0x1f];
            }
        });
    }

    /// <summary>True when every character is in the nix32 alphabet.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c >= 128 || DigitOf[c] < 0) return false;
        }
        return true;
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into exactly <paramref name="destination"/>.Length bytes. False when a character
    /// is outside the alphabet, the length does not match, or bits beyond the destination are set (non-canonical).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != EncodedLength(destination.Length)) return false;
        destination.Clear();
        for (var p = 0; p < text.Length; p++)
        {
            var c = text[text.Length - 1 - p];
            if (c >= 128 || DigitOf[c] < 0) return false;
            var digit = DigitOf[c];
            var bit = p * 5;
            var i = bit / 8;
            var j = bit % 8;
            destination[i] |= (byte)(digit << j);
            var carry = digit >> (8 - j);
            if (i + 1 < destination.Length)
            {
                destination[i + 1] |= (byte)carry;
            }
            else if (carry != 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Decodes a string whose byte count follows from its length; throws <see cref="FormatException"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        var bytes = new byte[DecodedLength(text.Length)];
        if (!TryDecode(text, bytes) || EncodedLength(bytes.Length) != text.Length)
        {
            throw new FormatException("Not a canonical nix32 string.");
        }
        return bytes;
    }

    private static sbyte[] BuildDigitTable()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            table[Alphabet[i]] = (sbyte)i;
        }
        return table;
    }
}
