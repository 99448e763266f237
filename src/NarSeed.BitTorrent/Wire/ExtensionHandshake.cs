using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// The fields NarSeed reads from a peer's BEP 10 extension handshake (extended message 0). Every key is optional and
/// unknown keys are skipped; an id outside 1…255 means "disabled" (0), as BEP 10 says.
/// </summary>
public readonly record struct ExtensionHandshake
{
    /// <summary>The peer's message id for <c>ut_metadata</c> (BEP 9), 0 when it has none.</summary>
    public byte UtMetadataId { get; init; }

    /// <summary>The peer's message id for <c>ut_pex</c> (BEP 11), 0 when it has none.</summary>
    public byte UtPexId { get; init; }

    /// <summary><c>metadata_size</c>: the info dictionary's length, or null when absent.</summary>
    public long? MetadataSize { get; init; }

    /// <summary><c>p</c>: the peer's TCP listen port, or 0 when absent or out of range.</summary>
    public int ListenPort { get; init; }

    /// <summary><c>reqq</c>: how many outstanding requests the peer accepts, or null when absent or not positive.</summary>
    public int? RequestQueueLength { get; init; }

    /// <summary>Reads the handshake dictionary; malformed bencoding throws <see cref="BencodeException"/>.</summary>
    public static ExtensionHandshake Parse(ReadOnlySpan<byte> payload)
    {
        var result = new ExtensionHandshake();
        var reader = new BencodeReader(payload, WireLimits.ExtensionMessage);
        if (reader.PeekToken() != BencodeTokenType.StartDictionary)
        {
            throw new BencodeException(BencodeErrorReason.UnexpectedByte, 0, "an extension message must be a dictionary");
        }
        reader.ReadStartDictionary();
        while (!reader.TryReadEndDictionary())
        {
            var key = reader.ReadString();
            var isInteger = reader.PeekToken() == BencodeTokenType.Integer;
            if (key.SequenceEqual("m"u8) && reader.PeekToken() == BencodeTokenType.StartDictionary)
            {
                result = ReadMessageIds(ref reader, result);
            }
            else if (key.SequenceEqual("p"u8) && isInteger)
            {
                var port = reader.ReadInteger();
                result = result with { ListenPort = port is > 0 and <= 65535 ? (int)port : 0 };
            }
            else if (key.SequenceEqual("metadata_size"u8) && isInteger)
            {
                result = result with { MetadataSize = reader.ReadInteger() };
            }
            else if (key.SequenceEqual("reqq"u8) && isInteger)
            {
                var reqq = reader.ReadInteger();
                result = result with { RequestQueueLength = reqq > 0 ? (int)Math.Min(reqq, int.MaxValue) : null };
            }
            else
            {
                reader.SkipValue();
            }
        }
        return result;
    }

    private static ExtensionHandshake ReadMessageIds(ref BencodeReader reader, ExtensionHandshake result)
    {
        reader.ReadStartDictionary();
        while (!reader.TryReadEndDictionary())
        {
            var name = reader.ReadString();
            if (reader.PeekToken() != BencodeTokenType.Integer)
            {
                reader.SkipValue();
                continue;
            }
            if (name.SequenceEqual("ut_metadata"u8)) result = result with { UtMetadataId = MessageId(reader.ReadInteger()) };
            else if (name.SequenceEqual("ut_pex"u8)) result = result with { UtPexId = MessageId(reader.ReadInteger()) };
            else reader.SkipValue();
        }
        return result;
    }

    private static byte MessageId(long id) => id is > 0 and <= 255 ? (byte)id : (byte)0;
}
