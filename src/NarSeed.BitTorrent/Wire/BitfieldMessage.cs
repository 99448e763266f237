using System.Buffers;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// <c>bitfield</c>: ⌈pieces/8⌉ bytes, the most significant bit of byte 0 is piece 0, spare bits zero (BEP 3).
/// </summary>
public static class BitfieldMessage
{
    public static int ByteLength(int pieceCount) => (pieceCount + 7) / 8;

    /// <summary>Reads a bitfield that must have exactly ⌈<paramref name="pieceCount"/>/8⌉ bytes.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, int pieceCount, out ReadOnlySequence<byte> bits)
    {
        bits = default;
        var expected = 1 + ByteLength(pieceCount);
        if (!WireFrame.TryReadHeader(ref reader, MessageId.Bitfield, expected, exact: true, out _)) return false;
        bits = reader.UnreadSequence.Slice(0, expected - 1);
        reader.Advance(expected - 1);
        return true;
    }

    /// <summary>Writes a bitfield whose bytes the caller built (spare bits must be zero).</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> bits)
    {
        var span = writer.GetSpan(5 + bits.Length);
        WireFrame.WriteHeader(span, 1 + bits.Length, MessageId.Bitfield);
        bits.CopyTo(span[5..]);
        writer.Advance(5 + bits.Length);
    }

    /// <summary>Writes the bitfield of a peer that has every one of <paramref name="pieceCount"/> pieces.</summary>
    public static void WriteComplete(IBufferWriter<byte> writer, int pieceCount)
    {
        var bytes = ByteLength(pieceCount);
        var span = writer.GetSpan(5 + bytes);
        WireFrame.WriteHeader(span, 1 + bytes, MessageId.Bitfield);
        var body = span.Slice(5, bytes);
        body.Fill(0xFF);
        if (pieceCount % 8 != 0) body[^1] = (byte)(0xFF << (8 - pieceCount % 8));
        writer.Advance(5 + bytes);
    }
}
