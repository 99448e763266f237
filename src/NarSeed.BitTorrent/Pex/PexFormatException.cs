namespace NarSeed.BitTorrent.Pex;

/// <summary>A malformed ut_pex message; <see cref="Reason"/> says what was wrong, <see cref="Offset"/> where.</summary>
public sealed class PexFormatException(PexErrorReason reason, string message, long offset, Exception? inner = null)
    : Exception(message, inner)
{
    public PexErrorReason Reason { get; } = reason;

    public long Offset { get; } = offset;
}
