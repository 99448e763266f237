using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// The bencoded header of a BEP 9 <c>ut_metadata</c> message: <c>msg_type</c> (0 request, 1 data, 2 reject),
/// <c>piece</c> and, for data, <c>total_size</c>; a data message's chunk follows the dictionary.
/// Missing integers are -1, so callers can tell them from real values; unknown keys are skipped.
/// </summary>
public readonly record struct MetadataMessageHeader(long MessageType, long Piece, long TotalSize, int Length)
{
    public const int Request = 0;
    public const int Data = 1;
    public const int Reject = 2;

    /// <summary>Reads the dictionary at the start of <paramref name="payload"/>; <see cref="Length"/> is its size.</summary>
    public static MetadataMessageHeader Parse(ReadOnlySpan<byte> payload)
    {
        long messageType = -1, piece = -1, totalSize = -1;
        var reader = new BencodeReader(payload, WireLimits.ExtensionMessage);
        if (reader.PeekToken() != BencodeTokenType.StartDictionary)
        {
            throw new BencodeException(BencodeErrorReason.UnexpectedByte, 0, "an extension message must be a dictionary");
        }
        reader.ReadStartDictionary();
        while (!reader.TryReadEndDictionary())
        {
            var key = reader.ReadString();
            if (reader.PeekToken() != BencodeTokenType.Integer) reader.SkipValue();
            else if (key.SequenceEqual("msg_type"u8)) messageType = reader.ReadInteger();
            else if (key.SequenceEqual("piece"u8)) piece = reader.ReadInteger();
            else if (key.SequenceEqual("total_size"u8)) totalSize = reader.ReadInteger();
            else reader.SkipValue();
        }
        return new MetadataMessageHeader(messageType, piece, totalSize, reader.BytesConsumed);
    }
}
