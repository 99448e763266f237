using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>A message carrying one piece index: have (BEP 3), suggest piece and allowed fast (BEP 6).</summary>
public readonly record struct PieceIndexMessage(MessageId Id, uint Index)
{
    public const int MessageLength = 5;
    public const int FrameLength = WireFrame.LengthPrefixSize + MessageLength;

    public static bool IsPieceIndexMessage(MessageId id) => id is MessageId.Have or MessageId.SuggestPiece or MessageId.AllowedFast;

    public static bool TryRead(ref SequenceReader<byte> reader, MessageId id, out PieceIndexMessage message)
    {
        message = default;
        if (!IsPieceIndexMessage(id)) throw new ArgumentOutOfRangeException(nameof(id), id, "Not a piece-index message.");
        if (!WireFrame.TryReadHeader(ref reader, id, MessageLength, exact: true, out _)) return false;
        reader.TryReadBigEndian(out int index);
        message = new PieceIndexMessage(id, (uint)index);
        return true;
    }

    public void Write(IBufferWriter<byte> writer)
    {
        if (!IsPieceIndexMessage(Id)) throw new InvalidOperationException($"{Id} is not a piece-index message.");
        var span = writer.GetSpan(FrameLength);
        WireFrame.WriteHeader(span, MessageLength, Id);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], Index);
        writer.Advance(FrameLength);
    }
}
