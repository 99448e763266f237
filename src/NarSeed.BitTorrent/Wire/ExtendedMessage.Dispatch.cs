using System.Buffers;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Wire;

/// <summary>Handles one extension message's payload as a contiguous span.</summary>
public delegate void ExtendedPayloadHandler<TState>(TState state, byte extendedId, ReadOnlySpan<byte> payload, long offset);

public readonly partial struct ExtendedMessage
{
    /// <summary>Largest extension payload accepted: a bencoded header plus one 16 KiB ut_metadata piece.</summary>
    public const int MaxPayloadLength = WireLimits.MaxExtensionDictionaryLength + WireLimits.MetadataPieceSize;

    /// <summary>
    /// Gives the payload to <paramref name="handler"/> as one span (copied into a pooled buffer when the pipe split
    /// it), after bounding its length. Malformed bencoding inside becomes a <see cref="WireProtocolException"/>, so
    /// both the seeding and the downloading connection break the same way on a bad extension message.
    /// </summary>
    public void Handle<TState>(long offset, TState state, ExtendedPayloadHandler<TState> handler)
    {
        if (Payload.Length > MaxPayloadLength)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidExtensionMessage,
                $"Extension message of {Payload.Length} bytes.", offset);
        }
        var rented = ArrayPool<byte>.Shared.Rent((int)Payload.Length);
        try
        {
            var payload = rented.AsSpan(0, (int)Payload.Length);
            Payload.CopyTo(payload);
            handler(state, ExtendedId, payload, offset);
        }
        catch (BencodeException e)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidExtensionMessage,
                $"Malformed extension message: {e.Message}", offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
