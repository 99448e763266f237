namespace NarSeed.Substitutes.Signatures;

/// <summary>A malformed s-expression (canonical or libgcrypt's "advanced" text form). Offset is a byte offset.</summary>
public sealed class SExpressionFormatException : FormatException
{
    public SExpressionFormatException(SExpressionErrorReason reason, int offset, string detail)
        : base($"Bad s-expression ({reason}) at offset {offset}: {detail}")
    {
        Reason = reason;
        Offset = offset;
    }

    public SExpressionErrorReason Reason { get; }

    public int Offset { get; }
}
