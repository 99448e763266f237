namespace NarSeed.BitTorrent.Wire;

/// <summary>A peer sent bytes that break the wire protocol. The engine closes that one peer and nobody else notices.</summary>
public sealed class WireProtocolException : Exception
{
    public WireProtocolException(WireProtocolErrorReason reason, string message, long offset = -1)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message)
    {
        Reason = reason;
        Offset = offset;
    }

    public WireProtocolErrorReason Reason { get; }

    /// <summary>Offset of the offending message in the connection's input stream, or -1 when unknown.</summary>
    public long Offset { get; }
}
