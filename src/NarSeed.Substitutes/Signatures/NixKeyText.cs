namespace NarSeed.Substitutes.Signatures;

/// <summary>Splits <c>name:base64</c> at the first colon, as Nix does, and checks the decoded length.</summary>
internal static class NixKeyText
{
    public static (string Name, byte[] Bytes) Split(string text, int expectedLength, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon < 0) throw new NixKeyFormatException(NixKeyErrorReason.MissingColon, 0, $"{what} has no ':'.");
        if (colon == 0) throw new NixKeyFormatException(NixKeyErrorReason.EmptyName, 0, $"{what} has an empty name.");
        var b64 = text.AsSpan(colon + 1);
        var buffer = new byte[b64.Length];
        if (!Convert.TryFromBase64Chars(b64, buffer, out var written))
        {
            throw new NixKeyFormatException(NixKeyErrorReason.BadBase64, colon + 1, $"{what} is not base64.");
        }
        if (written != expectedLength)
        {
            throw new NixKeyFormatException(NixKeyErrorReason.WrongLength, colon + 1,
                $"{what} has {written} bytes, expected {expectedLength}.");
        }
        return (text[..colon], buffer[..written]);
    }
}
