namespace NarSeed.BitTorrent.Wire;

/// <summary>Predicates over <see cref="MessageId"/> that say which negotiated feature a message needs.</summary>
public static class MessageIdExtensions
{
    /// <summary>BEP 6: messages 13–17 are only valid when both sides set the fast bit.</summary>
    public static bool IsFastExtension(this MessageId id) => id is >= MessageId.SuggestPiece and <= MessageId.AllowedFast;

    /// <summary>BEP 52: messages 21–23 are only valid on a v2 connection.</summary>
    public static bool IsHashTransfer(this MessageId id) => id is >= MessageId.HashRequest and <= MessageId.HashReject;
}
