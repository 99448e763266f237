using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// BEP 52 <c>hash request</c> and <c>hash reject</c> (same layout): <c>pieces root[32] base_layer u32 index u32
/// length u32 proof_layers u32</c>. Fields are raw; their meaning is checked by whoever answers.
/// </summary>
public readonly record struct HashRequestMessage(MessageId Id, ReadOnlyMemory<byte> PiecesRoot, uint BaseLayer, uint Index,
    uint Length, uint ProofLayers)
{
    public const int RootLength = 32;
    public const int MessageLength = 1 + RootLength + 16;
    public const int FrameLength = WireFrame.LengthPrefixSize + MessageLength;

    public static bool IsHashRequestShaped(MessageId id) => id is MessageId.HashRequest or MessageId.HashReject;

    public static bool TryRead(ref SequenceReader<byte> reader, MessageId id, out HashRequestMessage message)
    {
        message = default;
        if (!IsHashRequestShaped(id)) throw new ArgumentOutOfRangeException(nameof(id), id, "Not a hash request or reject.");
        if (!WireFrame.TryReadHeader(ref reader, id, MessageLength, exact: true, out _)) return false;
        var root = new byte[RootLength];
        reader.TryCopyTo(root);
        reader.Advance(RootLength);
        ReadFields(ref reader, out var baseLayer, out var index, out var length, out var proofLayers);
        message = new HashRequestMessage(id, root, baseLayer, index, length, proofLayers);
        return true;
    }

    public void Write(IBufferWriter<byte> writer)
    {
        if (!IsHashRequestShaped(Id)) throw new InvalidOperationException($"{Id} is not a hash request or reject.");
        var span = writer.GetSpan(FrameLength);
        WireFrame.WriteHeader(span, MessageLength, Id);
        WriteFields(span[5..], PiecesRoot.Span, BaseLayer, Index, Length, ProofLayers);
        writer.Advance(FrameLength);
    }

    /// <summary>The same fields as a message of another id (a reject or the header of <c>hashes</c> echoes a request).</summary>
    public HashRequestMessage As(MessageId id) => this with { Id = id };

    internal static void ReadFields(ref SequenceReader<byte> reader, out uint baseLayer, out uint index, out uint length,
        out uint proofLayers)
    {
        reader.TryReadBigEndian(out int b);
        reader.TryReadBigEndian(out int i);
        reader.TryReadBigEndian(out int l);
        reader.TryReadBigEndian(out int p);
        (baseLayer, index, length, proofLayers) = ((uint)b, (uint)i, (uint)l, (uint)p);
    }

    internal static void WriteFields(Span<byte> span, ReadOnlySpan<byte> root, uint baseLayer, uint index, uint length,
        uint proofLayers)
    {
        if (root.Length != RootLength) throw new ArgumentException("A pieces root has 32 bytes.", nameof(root));
        root.CopyTo(span);
        BinaryPrimitives.WriteUInt32BigEndian(span[32..], baseLayer);
        BinaryPrimitives.WriteUInt32BigEndian(span[36..], index);
        BinaryPrimitives.WriteUInt32BigEndian(span[40..], length);
        BinaryPrimitives.WriteUInt32BigEndian(span[44..], proofLayers);
    }
}
