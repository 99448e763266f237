using System.Buffers.Binary;

namespace NarSeed.BitTorrent.Engine;

/// <summary>The 20 bytes a handshake carries (a v1 hash or a truncated v2 hash), as a compact dictionary key.</summary>
internal readonly record struct InfoHashKey(ulong High, ulong Middle, uint Low)
{
    public static InfoHashKey From(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64BigEndian(hash),
        BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(hash[16..]));
}
