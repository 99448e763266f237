using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// <c>index, begin, length</c>: request and cancel (BEP 3) and reject request (BEP 6) share this layout.
/// </summary>
public readonly record struct BlockRequestMessage(MessageId Id, uint Index, uint Begin, uint Length)
{
    public const int MessageLength = 13;
    public const int FrameLength = WireFrame.LengthPrefixSize + MessageLength;

    public static bool IsBlockRequestMessage(MessageId id) => id is MessageId.Request or MessageId.Cancel or MessageId.RejectRequest;

    public static bool TryRead(ref SequenceReader<byte> reader, MessageId id, out BlockRequestMessage message)
    {
        message = default;
        if (!IsBlockRequestMessage(id)) throw new ArgumentOutOfRangeException(nameof(id), id, "Not a request-shaped message.");
        if (!WireFrame.TryReadHeader(ref reader, id, MessageLength, exact: true, out _)) return false;
        reader.TryReadBigEndian(out int index);
        reader.TryReadBigEndian(out int begin);
        reader.TryReadBigEndian(out int length);
        message = new BlockRequestMessage(id, (uint)index, (uint)begin, (uint)length);
        return true;
    }

    public void Write(IBufferWriter<byte> writer)
    {
        if (!IsBlockRequestMessage(Id)) throw new InvalidOperationException($"{Id} is not a request-shaped message.");
        var span = writer.GetSpan(FrameLength);
        WireFrame.WriteHeader(span, MessageLength, Id);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], Index);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], Begin);
        BinaryPrimitives.WriteUInt32BigEndian(span[13..], Length);
        writer.Advance(FrameLength);
    }
}
