namespace NarSeed.Substitutes.NarInfo;

/// <summary>Malformed narinfo text (either dialect) or nix-cache-info. <see cref="Line"/> is 1-based, 0 when not about one line.</summary>
public sealed class NarInfoFormatException : FormatException
{
    public NarInfoFormatException(NarInfoErrorReason reason, int line, string detail)
        : base(line > 0 ? $"Bad narinfo ({reason}) at line {line}: {detail}" : $"Bad narinfo ({reason}): {detail}")
    {
        Reason = reason;
        Line = line;
    }

    public NarInfoErrorReason Reason { get; }

    public int Line { get; }
}
