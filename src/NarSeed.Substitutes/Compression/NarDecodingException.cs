namespace NarSeed.Substitutes.Compression;

/// <summary>A compressed nar that cannot be decoded. Offset is the number of compressed bytes consumed when it failed.</summary>
public sealed class NarDecodingException : IOException
{
    public NarDecodingException(NarDecodingErrorReason reason, long offset, string detail)
        : base($"Cannot decode nar ({reason}) after {offset} compressed bytes: {detail}")
    {
        Reason = reason;
        Offset = offset;
    }

    public NarDecodingErrorReason Reason { get; }

    public long Offset { get; }
}
