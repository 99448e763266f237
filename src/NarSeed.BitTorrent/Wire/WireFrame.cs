using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// Framing of every message after the handshake: <c>&lt;u32 length&gt;&lt;u8 id&gt;&lt;payload&gt;</c>, length 0 being
/// a keep-alive (BEP 3). The codec checks the length prefix against the limit its caller gives; meaning is the
/// connection's business.
/// </summary>
public static class WireFrame
{
    public const int LengthPrefixSize = 4;

    /// <summary>
    /// Peeks the next frame without consuming anything. Returns false until the whole frame is buffered. A keep-alive
    /// is reported with <paramref name="messageLength"/> 0 and <paramref name="id"/> null.
    /// </summary>
    public static bool TryPeek(in SequenceReader<byte> reader, int maxMessageLength, out int messageLength, out MessageId? id)
    {
        id = null;
        messageLength = 0;
        var peek = reader;
        if (!peek.TryReadBigEndian(out int length)) return false;
        if ((uint)length > (uint)maxMessageLength)
        {
            throw new WireProtocolException(WireProtocolErrorReason.MessageTooLarge,
                $"Message of {(uint)length} bytes exceeds the limit of {maxMessageLength}.", reader.Consumed);
        }
        messageLength = length;
        if (peek.Remaining < length) return false;
        if (length > 0)
        {
            peek.TryRead(out var b);
            id = (MessageId)b;
        }
        return true;
    }

    /// <summary>Consumes one keep-alive (four zero bytes).</summary>
    public static bool TryReadKeepAlive(ref SequenceReader<byte> reader)
    {
        var peek = reader;
        if (!peek.TryReadBigEndian(out int length) || length != 0) return false;
        reader = peek;
        return true;
    }

    /// <summary>Consumes a whole frame of any id without interpreting it (unknown extension ids are ignored).</summary>
    public static bool TrySkip(ref SequenceReader<byte> reader, int maxMessageLength)
    {
        if (!TryPeek(reader, maxMessageLength, out var length, out _)) return false;
        reader.Advance(LengthPrefixSize + length);
        return true;
    }

    public static void WriteKeepAlive(IBufferWriter<byte> writer)
    {
        writer.GetSpan(LengthPrefixSize)[..LengthPrefixSize].Clear();
        writer.Advance(LengthPrefixSize);
    }

    /// <summary>
    /// Reads the frame header of a message with id <paramref name="expected"/> whose length must be
    /// <paramref name="expectedLength"/> (or at least that when <paramref name="exact"/> is false). The caller has
    /// already peeked the frame, so the bytes are there; on a wrong length it throws.
    /// </summary>
    internal static bool TryReadHeader(ref SequenceReader<byte> reader, MessageId expected, int expectedLength, bool exact,
        out int length)
    {
        length = 0;
        var peek = reader;
        if (!peek.TryReadBigEndian(out length) || !peek.TryRead(out var id) || peek.Remaining < length - 1) return false;
        if ((MessageId)id != expected)
        {
            throw new InvalidOperationException($"Asked to read {expected} but the frame holds id {id}.");
        }
        if (exact ? length != expectedLength : length < expectedLength)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidMessageLength,
                $"{expected} message of length {length}, expected {(exact ? "" : "at least ")}{expectedLength}.",
                reader.Consumed);
        }
        reader = peek;
        return true;
    }

    /// <summary>Writes a length prefix and id into <paramref name="span"/> (5 bytes).</summary>
    internal static void WriteHeader(Span<byte> span, int length, MessageId id)
    {
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        span[4] = (byte)id;
    }
}
