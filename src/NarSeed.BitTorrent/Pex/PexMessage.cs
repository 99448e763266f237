using System.Net;
using System.Net.Sockets;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Pex;

/// <summary>
/// A BEP 11 ut_pex message body: <c>added</c>/<c>added.f</c> (IPv4 compact + one flag byte each), <c>added6</c>/
/// <c>added6.f</c>, <c>dropped</c>, <c>dropped6</c>. The codec knows nothing of connections or timing.
/// </summary>
public sealed record PexMessage(IReadOnlyList<PexPeer> Added, IReadOnlyList<IPEndPoint> Dropped)
{
    private static readonly BencodeLimits Limits = new()
    {
        MaxDepth = 2, MaxItems = 64, MaxStringLength = PexLimits.MaxMessageLength, MaxTotalLength = PexLimits.MaxMessageLength,
    };

    public byte[] Encode()
    {
        var (added4, added6) = Split(Added, p => p.EndPoint);
        var (dropped4, dropped6) = Split(Dropped, p => p);
        return BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary();
            w.WriteKey("added");
            w.WriteString(Compact(added4.Select(p => p.EndPoint), CompactPeers.IPv4Length));
            w.WriteKey("added.f");
            w.WriteString(added4.Select(p => (byte)p.Flags).ToArray());
            w.WriteKey("added6");
            w.WriteString(Compact(added6.Select(p => p.EndPoint), CompactPeers.IPv6Length));
            w.WriteKey("added6.f");
            w.WriteString(added6.Select(p => (byte)p.Flags).ToArray());
            w.WriteKey("dropped");
            w.WriteString(Compact(dropped4, CompactPeers.IPv4Length));
            w.WriteKey("dropped6");
            w.WriteString(Compact(dropped6, CompactPeers.IPv6Length));
            w.WriteEndDictionary();
        });
    }

    /// <summary>
    /// Parses a ut_pex body. Unknown keys are ignored; at most <see cref="PexLimits.MaxEntriesReceived"/> entries per
    /// list are kept; a missing or short flags string means no flags.
    /// </summary>
    /// <exception cref="PexFormatException">Not bencode, too large, or a compact list of the wrong length.</exception>
    public static PexMessage Parse(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > PexLimits.MaxMessageLength)
        {
            throw new PexFormatException(PexErrorReason.TooLarge, $"A ut_pex message of {payload.Length} bytes.", 0);
        }
        BencodeDictionary root;
        try
        {
            root = BencodeValue.Parse(payload, Limits) as BencodeDictionary
                   ?? throw new PexFormatException(PexErrorReason.MalformedBencode, "A ut_pex message is not a dictionary.", 0);
        }
        catch (BencodeException e)
        {
            throw new PexFormatException(PexErrorReason.MalformedBencode, $"A ut_pex message is not valid bencode: {e.Message}", e.Offset, e);
        }
        var added = new List<PexPeer>();
        ReadAdded(root, "added", "added.f", ipv6: false, added);
        ReadAdded(root, "added6", "added6.f", ipv6: true, added);
        var dropped = new List<IPEndPoint>();
        ReadList(root, "dropped", ipv6: false, dropped);
        ReadList(root, "dropped6", ipv6: true, dropped);
        return new PexMessage(added, dropped);
    }

    private static void ReadAdded(BencodeDictionary root, string key, string flagsKey, bool ipv6, List<PexPeer> added)
    {
        var peers = new List<IPEndPoint>();
        var offsets = ReadList(root, key, ipv6, peers);
        var flags = root.Get<BencodeString>(flagsKey) is { } f ? f.Bytes.Span : default;
        for (var i = 0; i < peers.Count; i++)
        {
            var index = offsets[i];
            added.Add(new PexPeer(peers[i], index < flags.Length ? (PexFlags)flags[index] : PexFlags.None));
        }
    }

    /// <summary>Reads a compact list; returns each kept peer's index in the list (for its flag byte).</summary>
    private static List<int> ReadList(BencodeDictionary root, string key, bool ipv6, List<IPEndPoint> into)
    {
        var indices = new List<int>();
        if (root.Get<BencodeString>(key) is not { } value) return indices;
        var size = ipv6 ? CompactPeers.IPv6Length : CompactPeers.IPv4Length;
        var bytes = value.Bytes.Span;
        if (bytes.Length % size != 0)
        {
            throw new PexFormatException(PexErrorReason.InvalidCompactList,
                $"'{key}' has {bytes.Length} bytes, not a multiple of {size}.", value.Encoded.Length);
        }
        var one = new List<IPEndPoint>(1);
        for (var i = 0; i < bytes.Length / size && indices.Count < PexLimits.MaxEntriesReceived; i++)
        {
            one.Clear();
            CompactPeers.TryRead(bytes.Slice(i * size, size), ipv6, 1, one);
            if (one.Count == 0) continue; // port 0
            into.Add(one[0]);
            indices.Add(i);
        }
        return indices;
    }

    private static (List<T> V4, List<T> V6) Split<T>(IEnumerable<T> items, Func<T, IPEndPoint> endPoint)
    {
        var v4 = new List<T>();
        var v6 = new List<T>();
        foreach (var item in items)
        {
            var address = endPoint(item).Address;
            (address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? v4 : v6).Add(item);
        }
        return (v4, v6);
    }

    private static byte[] Compact(IEnumerable<IPEndPoint> peers, int size)
    {
        var list = peers.ToList();
        var bytes = new byte[list.Count * size];
        for (var i = 0; i < list.Count; i++) CompactPeers.Write(list[i], bytes.AsSpan(i * size));
        return bytes;
    }
}
