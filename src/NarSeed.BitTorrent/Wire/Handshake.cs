using System.Buffers;
using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// The 68-byte BitTorrent handshake: <c>0x13 "BitTorrent protocol" reserved[8] info_hash[20] peer_id[20]</c> (BEP 3).
/// The hash is a v1 info-hash or the first 20 bytes of a v2 one (BEP 52).
/// </summary>
public readonly struct Handshake
{
    public const int Length = 68;
    public const int HashLength = 20;
    public const int PeerIdLength = 20;

    private static ReadOnlySpan<byte> Protocol => "\u0013BitTorrent protocol"u8;

    public Handshake(ReservedBits reserved, ReadOnlyMemory<byte> infoHash, ReadOnlyMemory<byte> peerId)
    {
        if (infoHash.Length != HashLength) throw new ArgumentException("The handshake hash has 20 bytes.", nameof(infoHash));
        if (peerId.Length != PeerIdLength) throw new ArgumentException("A peer id has 20 bytes.", nameof(peerId));
        Reserved = reserved;
        InfoHash = infoHash;
        PeerId = peerId;
    }

    public ReservedBits Reserved { get; }

    public ReadOnlyMemory<byte> InfoHash { get; }

    public ReadOnlyMemory<byte> PeerId { get; }

    /// <summary>
    /// Reads the first 48 bytes (protocol, reserved, info-hash): a responder picks its torrent before the peer id
    /// arrives. Returns false, consuming nothing, until 48 bytes are there; throws as soon as the protocol string
    /// cannot match (an MSE handshake starts with random bytes), so such a connection is closed at once.
    /// </summary>
    public static bool TryReadHeader(ref SequenceReader<byte> reader, out ReservedBits reserved, Span<byte> infoHash)
    {
        reserved = ReservedBits.None;
        var available = (int)Math.Min(reader.Remaining, Protocol.Length);
        Span<byte> prefix = stackalloc byte[Protocol.Length];
        reader.TryCopyTo(prefix[..available]);
        if (!prefix[..available].SequenceEqual(Protocol[..available]))
        {
            throw new WireProtocolException(WireProtocolErrorReason.NotBitTorrentHandshake,
                "The peer did not start with the BitTorrent handshake (encrypted or not BitTorrent).", reader.Consumed);
        }
        if (reader.Remaining < Protocol.Length + 8 + HashLength) return false;
        reader.Advance(Protocol.Length);
        reader.TryReadBigEndian(out long bits);
        reserved = (ReservedBits)(ulong)bits;
        reader.TryCopyTo(infoHash[..HashLength]);
        reader.Advance(HashLength);
        return true;
    }

    /// <summary>Reads the 20-byte peer id that ends the handshake.</summary>
    public static bool TryReadPeerId(ref SequenceReader<byte> reader, Span<byte> peerId)
    {
        if (reader.Remaining < PeerIdLength) return false;
        reader.TryCopyTo(peerId[..PeerIdLength]);
        reader.Advance(PeerIdLength);
        return true;
    }

    /// <summary>Reads a whole handshake; false (nothing consumed) until all 68 bytes are there.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out Handshake handshake)
    {
        handshake = default;
        var start = reader;
        var hash = new byte[HashLength];
        if (!TryReadHeader(ref reader, out var reserved, hash)) return false;
        var peerId = new byte[PeerIdLength];
        if (!TryReadPeerId(ref reader, peerId))
        {
            reader = start;
            return false;
        }
        handshake = new Handshake(reserved, hash, peerId);
        return true;
    }

    public void Write(IBufferWriter<byte> writer) => Write(writer, Reserved, InfoHash.Span, PeerId.Span);

    public static void Write(IBufferWriter<byte> writer, ReservedBits reserved, ReadOnlySpan<byte> infoHash,
        ReadOnlySpan<byte> peerId)
    {
        var span = writer.GetSpan(Length);
        Protocol.CopyTo(span);
        BinaryPrimitives.WriteUInt64BigEndian(span[20..], (ulong)reserved);
        infoHash[..HashLength].CopyTo(span[28..]);
        peerId[..PeerIdLength].CopyTo(span[48..]);
        writer.Advance(Length);
    }
}
