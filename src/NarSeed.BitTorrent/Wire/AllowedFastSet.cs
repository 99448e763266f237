using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// BEP 6 allowed-fast set: x = (IPv4 &amp; 0xFFFFFF00) ‖ info-hash; repeat x = SHA-1(x) and take each big-endian
/// u32 word mod the piece count until <c>k</c> distinct indices are found (bittorrent.md §5.3).
/// </summary>
public static class AllowedFastSet
{
    /// <summary>libtorrent's <c>allowed_fast_set_size</c> default.</summary>
    public const int DefaultSize = 5;

    public static uint[] Generate(ReadOnlySpan<byte> ipv4, ReadOnlySpan<byte> infoHash, int pieceCount, int k)
    {
        if (ipv4.Length != 4) throw new ArgumentException("An IPv4 address has 4 bytes.", nameof(ipv4));
        if (infoHash.Length != Handshake.HashLength) throw new ArgumentException("The hash has 20 bytes.", nameof(infoHash));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceCount);
        k = Math.Min(k, pieceCount);
        var result = new List<uint>(k);
        Span<byte> x = stackalloc byte[24];
        ipv4.CopyTo(x);
        x[3] = 0;
        infoHash.CopyTo(x[4..]);
        Span<byte> digest = stackalloc byte[20];
        Span<byte> previous = stackalloc byte[20];
        SHA1.HashData(x, digest);
        while (true)
        {
            for (var i = 0; i < 5 && result.Count < k; i++)
            {
                var index = BinaryPrimitives.ReadUInt32BigEndian(digest[(4 * i)..]) % (uint)pieceCount;
                if (!result.Contains(index)) result.Add(index);
            }
            if (result.Count >= k) return result.ToArray();
            digest.CopyTo(previous);
            SHA1.HashData(previous, digest);
        }
    }
}
