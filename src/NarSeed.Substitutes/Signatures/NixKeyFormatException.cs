namespace NarSeed.Substitutes.Signatures;

/// <summary>A malformed Nix key or signature (src/libutil/signature/local-keys.cc). Offset is a character offset.</summary>
public sealed class NixKeyFormatException : FormatException
{
    public NixKeyFormatException(NixKeyErrorReason reason, int offset, string detail)
        : base($"Bad Nix key or signature ({reason}) at offset {offset}: {detail}")
    {
        Reason = reason;
        Offset = offset;
    }

    public NixKeyErrorReason Reason { get; }

    public int Offset { get; }
}
