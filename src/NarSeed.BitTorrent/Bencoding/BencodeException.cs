namespace NarSeed.BitTorrent.Bencoding;

/// <summary>Malformed or non-canonical bencoded input. <see cref="Offset"/> is the byte where the problem starts.</summary>
public sealed class BencodeException : FormatException
{
    public BencodeException(BencodeErrorReason reason, long offset, string? detail = null)
        : base($"Invalid bencoding at offset {offset}: {reason}{(detail is null ? "" : $" ({detail})")}.")
    {
        Reason = reason;
        Offset = offset;
    }

    public BencodeErrorReason Reason { get; }

    public long Offset { get; }
}
