using System.Buffers.Binary;
using System.Net;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>BEP 23 / BEP 7 compact peers: 4-byte IPv4 or 16-byte IPv6 address, then a big-endian port.</summary>
public static class CompactPeers
{
    public const int IPv4Length = 6;

    public const int IPv6Length = 18;

    /// <summary>
    /// Adds the peers in <paramref name="data"/> to <paramref name="peers"/> until it holds <paramref name="max"/>;
    /// port 0 entries and duplicates are skipped. Returns false if the length is not a multiple of the entry size.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, bool ipv6, int max, ICollection<IPEndPoint> peers)
    {
        var size = ipv6 ? IPv6Length : IPv4Length;
        if (data.Length % size != 0) return false;
        for (var offset = 0; offset < data.Length && peers.Count < max; offset += size)
        {
            var entry = data.Slice(offset, size);
            var port = BinaryPrimitives.ReadUInt16BigEndian(entry[(size - 2)..]);
            if (port == 0) continue;
            var endPoint = new IPEndPoint(new IPAddress(entry[..(size - 2)]), port);
            if (!peers.Contains(endPoint)) peers.Add(endPoint);
        }
        return true;
    }

    /// <summary>Writes one peer in compact form; returns the bytes written (6 or 18).</summary>
    public static int Write(IPEndPoint peer, Span<byte> destination)
    {
        var address = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
        if (!address.TryWriteBytes(destination, out var written)) throw new ArgumentException("Destination too short.");
        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], (ushort)peer.Port);
        return written + 2;
    }
}
