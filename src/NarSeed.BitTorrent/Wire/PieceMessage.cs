using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// <c>piece</c>: index, begin, then the block (BEP 3). <see cref="Block"/> is a slice of the reader's buffer, valid
/// until the caller advances its pipe.
/// </summary>
public readonly struct PieceMessage
{
    /// <summary>Bytes before the block: length prefix, id, index, begin.</summary>
    public const int HeaderLength = WireFrame.LengthPrefixSize + 9;

    public PieceMessage(uint index, uint begin, ReadOnlySequence<byte> block)
    {
        Index = index;
        Begin = begin;
        Block = block;
    }

    public uint Index { get; }

    public uint Begin { get; }

    public ReadOnlySequence<byte> Block { get; }

    /// <summary>Reads a piece message whose block may be at most <paramref name="maxBlockLength"/> bytes.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, int maxBlockLength, out PieceMessage message)
    {
        message = default;
        var start = reader;
        if (!WireFrame.TryReadHeader(ref reader, MessageId.Piece, 9, exact: false, out var length)) return false;
        if (length - 9 > maxBlockLength)
        {
            var offset = start.Consumed;
            reader = start;
            throw new WireProtocolException(WireProtocolErrorReason.InvalidMessageLength,
                $"Piece block of {length - 9} bytes exceeds {maxBlockLength}.", offset);
        }
        reader.TryReadBigEndian(out int index);
        reader.TryReadBigEndian(out int begin);
        var block = reader.UnreadSequence.Slice(0, length - 9);
        reader.Advance(length - 9);
        message = new PieceMessage((uint)index, (uint)begin, block);
        return true;
    }

    /// <summary>Writes the 13-byte header for a block of <paramref name="blockLength"/> bytes into <paramref name="span"/>.</summary>
    public static void WriteHeader(Span<byte> span, uint index, uint begin, int blockLength)
    {
        WireFrame.WriteHeader(span, 9 + blockLength, MessageId.Piece);
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], index);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], begin);
    }

    public static void Write(IBufferWriter<byte> writer, uint index, uint begin, ReadOnlySpan<byte> block)
    {
        var span = writer.GetSpan(HeaderLength + block.Length);
        WriteHeader(span, index, begin, block.Length);
        block.CopyTo(span[HeaderLength..]);
        writer.Advance(HeaderLength + block.Length);
    }
}
