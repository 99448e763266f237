using System.Buffers;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// Messages with no payload: choke, unchoke, interested, not interested (BEP 3) and have all, have none (BEP 6).
/// </summary>
public static class StateMessage
{
    public const int FrameLength = WireFrame.LengthPrefixSize + 1;

    public static bool IsStateMessage(MessageId id) => id is <= MessageId.NotInterested or MessageId.HaveAll or MessageId.HaveNone;

    public static bool TryRead(ref SequenceReader<byte> reader, MessageId id)
    {
        if (!IsStateMessage(id)) throw new ArgumentOutOfRangeException(nameof(id), id, "Not a payload-less message.");
        return WireFrame.TryReadHeader(ref reader, id, 1, exact: true, out _);
    }

    public static void Write(IBufferWriter<byte> writer, MessageId id)
    {
        if (!IsStateMessage(id)) throw new ArgumentOutOfRangeException(nameof(id), id, "Not a payload-less message.");
        WireFrame.WriteHeader(writer.GetSpan(FrameLength), 1, id);
        writer.Advance(FrameLength);
    }
}
