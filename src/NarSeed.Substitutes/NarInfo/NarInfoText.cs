using System.Text;

namespace NarSeed.Substitutes.NarInfo;

/// <summary>Shared checks for narinfo text: size, strict UTF-8, field names and values that are safe to write.</summary>
internal static class NarInfoText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes, NarInfoLimits limits)
    {
        if (bytes.Length > limits.MaxBytes)
        {
            throw new NarInfoFormatException(NarInfoErrorReason.TooLarge, 0,
                $"{bytes.Length} bytes exceeds MaxBytes = {limits.MaxBytes}.");
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new NarInfoFormatException(NarInfoErrorReason.InvalidUtf8, 0, "not valid UTF-8.");
        }
    }

    public static void CheckLength(string text, NarInfoLimits limits)
    {
        if (text.Length > limits.MaxBytes)
        {
            throw new NarInfoFormatException(NarInfoErrorReason.TooLarge, 0,
                $"{text.Length} characters exceeds MaxBytes = {limits.MaxBytes}.");
        }
    }

    /// <summary>A field NarSeed may add: a letter, then letters, digits or '-'.</summary>
    public static void ValidateNewField(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            throw new ArgumentException($"'{name}' is not a valid narinfo field name.", nameof(name));
        }
        if (value.Contains('\n') || value.Contains('\r'))
        {
            throw new ArgumentException("A narinfo field value cannot contain a line break.", nameof(value));
        }
    }

    public static int CountLines(string text, int endExclusive)
    {
        var lines = 1;
        for (var i = 0; i < endExclusive && i < text.Length; i++)
        {
            if (text[i] == '\n') lines++;
        }
        return lines;
    }
}
