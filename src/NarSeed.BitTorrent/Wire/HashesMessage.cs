using System.Buffers;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// BEP 52 <c>hashes</c>: the request's 48-byte header echoed, then 32-byte hashes (the base hashes, then the uncle
/// hashes lowest first). <see cref="Hashes"/> is a slice of the reader's buffer.
/// </summary>
public readonly struct HashesMessage
{
    public const int HashLength = 32;

    public HashesMessage(HashRequestMessage request, ReadOnlySequence<byte> hashes)
    {
        Request = request.As(MessageId.HashRequest);
        Hashes = hashes;
    }

    /// <summary>The fields of the request this answers.</summary>
    public HashRequestMessage Request { get; }

    public ReadOnlySequence<byte> Hashes { get; }

    public static bool TryRead(ref SequenceReader<byte> reader, out HashesMessage message)
    {
        message = default;
        var start = reader;
        if (!WireFrame.TryReadHeader(ref reader, MessageId.Hashes, HashRequestMessage.MessageLength, exact: false,
                out var length)) return false;
        var hashBytes = length - HashRequestMessage.MessageLength;
        if (hashBytes % HashLength != 0)
        {
            var offset = start.Consumed;
            reader = start;
            throw new WireProtocolException(WireProtocolErrorReason.InvalidMessageLength,
                $"hashes message carries {hashBytes} bytes, not a multiple of 32.", offset);
        }
        var root = new byte[HashRequestMessage.RootLength];
        reader.TryCopyTo(root);
        reader.Advance(root.Length);
        HashRequestMessage.ReadFields(ref reader, out var baseLayer, out var index, out var count, out var proofLayers);
        var hashes = reader.UnreadSequence.Slice(0, hashBytes);
        reader.Advance(hashBytes);
        message = new HashesMessage(
            new HashRequestMessage(MessageId.HashRequest, root, baseLayer, index, count, proofLayers), hashes);
        return true;
    }

    /// <summary>Writes a <c>hashes</c> reply to <paramref name="request"/> carrying <paramref name="hashes"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, in HashRequestMessage request, ReadOnlySpan<byte> hashes)
    {
        if (hashes.Length % HashLength != 0) throw new ArgumentException("Hashes are 32 bytes each.", nameof(hashes));
        var total = WireFrame.LengthPrefixSize + HashRequestMessage.MessageLength + hashes.Length;
        var span = writer.GetSpan(total);
        WireFrame.WriteHeader(span, HashRequestMessage.MessageLength + hashes.Length, MessageId.Hashes);
        HashRequestMessage.WriteFields(span[5..], request.PiecesRoot.Span, request.BaseLayer, request.Index,
            request.Length, request.ProofLayers);
        hashes.CopyTo(span[HashRequestMessage.FrameLength..]);
        writer.Advance(total);
    }
}
