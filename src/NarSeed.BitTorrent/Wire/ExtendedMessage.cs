using System.Buffers;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// BEP 10 <c>extended</c>: one byte extension id (0 = extension handshake) and a payload, which for ut_metadata is a
/// bencoded dictionary followed by raw bytes. <see cref="Payload"/> is a slice of the reader's buffer.
/// </summary>
public readonly partial struct ExtendedMessage
{
    public const byte HandshakeId = 0;

    public ExtendedMessage(byte extendedId, ReadOnlySequence<byte> payload)
    {
        ExtendedId = extendedId;
        Payload = payload;
    }

    public byte ExtendedId { get; }

    public ReadOnlySequence<byte> Payload { get; }

    public static bool TryRead(ref SequenceReader<byte> reader, out ExtendedMessage message)
    {
        message = default;
        if (!WireFrame.TryReadHeader(ref reader, MessageId.Extended, 2, exact: false, out var length)) return false;
        reader.TryRead(out var extendedId);
        var payload = reader.UnreadSequence.Slice(0, length - 2);
        reader.Advance(length - 2);
        message = new ExtendedMessage(extendedId, payload);
        return true;
    }

    /// <summary>Writes an extended message: <paramref name="dictionary"/> then the raw <paramref name="tail"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, byte extendedId, ReadOnlySpan<byte> dictionary, ReadOnlySpan<byte> tail = default)
    {
        var total = 6 + dictionary.Length + tail.Length;
        var span = writer.GetSpan(total);
        WireFrame.WriteHeader(span, 2 + dictionary.Length + tail.Length, MessageId.Extended);
        span[5] = extendedId;
        dictionary.CopyTo(span[6..]);
        tail.CopyTo(span[(6 + dictionary.Length)..]);
        writer.Advance(total);
    }
}
