using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>BEP 5 <c>port</c>: the sender's DHT UDP port.</summary>
public readonly record struct PortMessage(ushort Port)
{
    public const int FrameLength = WireFrame.LengthPrefixSize + 3;

    public static bool TryRead(ref SequenceReader<byte> reader, out PortMessage message)
    {
        message = default;
        if (!WireFrame.TryReadHeader(ref reader, MessageId.Port, 3, exact: true, out _)) return false;
        reader.TryReadBigEndian(out short port);
        message = new PortMessage((ushort)port);
        return true;
    }

    public void Write(IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(FrameLength);
        WireFrame.WriteHeader(span, 3, MessageId.Port);
        BinaryPrimitives.WriteUInt16BigEndian(span[5..], Port);
        writer.Advance(FrameLength);
    }
}
