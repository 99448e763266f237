using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>BEP 15 packets (big-endian). Writers fill a buffer; readers check length, action and transaction id.</summary>
public static class UdpTrackerPacket
{
    /// <summary>BEP 15's magic <c>protocol_id</c> of a connect request.</summary>
    public const ulong ProtocolId = 0x41727101980;

    public const uint ActionConnect = 0;
    public const uint ActionAnnounce = 1;
    public const uint ActionScrape = 2;
    public const uint ActionError = 3;

    public const int ConnectLength = 16;
    public const int AnnounceRequestLength = 98;
    public const int AnnounceHeaderLength = 20;
    public const int ScrapeHeaderLength = 8;
    public const int ScrapeEntryLength = 12;

    public static byte[] Connect(uint transactionId)
    {
        var packet = new byte[ConnectLength];
        BinaryPrimitives.WriteUInt64BigEndian(packet, ProtocolId);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ActionConnect);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), transactionId);
        return packet;
    }

    public static byte[] Announce(ulong connectionId, uint transactionId, AnnounceRequest request)
    {
        if (request.InfoHash.Length != 20 || request.PeerId.Length != 20) throw new ArgumentException("Hash and peer id have 20 bytes.");
        var p = new byte[AnnounceRequestLength];
        BinaryPrimitives.WriteUInt64BigEndian(p, connectionId);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), ActionAnnounce);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(12), transactionId);
        request.InfoHash.Span.CopyTo(p.AsSpan(16));
        request.PeerId.Span.CopyTo(p.AsSpan(36));
        BinaryPrimitives.WriteInt64BigEndian(p.AsSpan(56), request.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(p.AsSpan(64), request.Left);
        BinaryPrimitives.WriteInt64BigEndian(p.AsSpan(72), request.Uploaded);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(80), (uint)request.Event);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(88), request.Key);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(92), request.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(96), (ushort)request.Port);
        return p;
    }

    public static byte[] Scrape(ulong connectionId, uint transactionId, IReadOnlyList<ReadOnlyMemory<byte>> hashes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashes.Count, TrackerLimits.MaxUdpScrapeHashes);
        var p = new byte[16 + 20 * hashes.Count];
        BinaryPrimitives.WriteUInt64BigEndian(p, connectionId);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), ActionScrape);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(12), transactionId);
        for (var i = 0; i < hashes.Count; i++) hashes[i].Span.CopyTo(p.AsSpan(16 + 20 * i));
        return p;
    }

    /// <summary>The transaction id of a reply, or false if it is too short to carry one.</summary>
    public static bool TryReadTransactionId(ReadOnlySpan<byte> packet, out uint transactionId)
    {
        transactionId = packet.Length >= 8 ? BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) : 0;
        return packet.Length >= 8;
    }

    public static ulong ReadConnect(ReadOnlySpan<byte> packet)
    {
        Expect(packet, ActionConnect, ConnectLength);
        return BinaryPrimitives.ReadUInt64BigEndian(packet[8..]);
    }

    /// <summary>Reads an announce reply; peers are 6-byte entries, or 18-byte ones when the tracker was reached over IPv6.</summary>
    public static AnnounceResponse ReadAnnounce(ReadOnlySpan<byte> packet, bool ipv6, TrackerLimits limits)
    {
        Expect(packet, ActionAnnounce, AnnounceHeaderLength);
        var peers = new List<IPEndPoint>();
        var body = packet[AnnounceHeaderLength..];
        var size = ipv6 ? CompactPeers.IPv6Length : CompactPeers.IPv4Length;
        // BEP 15: accept longer packets than expected; a partial trailing entry is ignored.
        CompactPeers.TryRead(body[..(body.Length - body.Length % size)], ipv6, limits.MaxPeers, peers);
        var interval = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        return new AnnounceResponse
        {
            Interval = interval is 0 or > int.MaxValue ? TrackerLimits.DefaultInterval : TimeSpan.FromSeconds(interval),
            Leechers = Count(BinaryPrimitives.ReadUInt32BigEndian(packet[12..])),
            Seeders = Count(BinaryPrimitives.ReadUInt32BigEndian(packet[16..])),
            Peers = peers,
        };
    }

    public static IReadOnlyDictionary<string, ScrapeEntry> ReadScrape(ReadOnlySpan<byte> packet,
        IReadOnlyList<ReadOnlyMemory<byte>> hashes)
    {
        Expect(packet, ActionScrape, ScrapeHeaderLength + ScrapeEntryLength * hashes.Count);
        var result = new Dictionary<string, ScrapeEntry>();
        for (var i = 0; i < hashes.Count; i++)
        {
            var e = packet[(ScrapeHeaderLength + ScrapeEntryLength * i)..];
            result[Convert.ToHexStringLower(hashes[i].Span)] = new ScrapeEntry(
                Count(BinaryPrimitives.ReadUInt32BigEndian(e)) ?? 0,
                Count(BinaryPrimitives.ReadUInt32BigEndian(e[8..])) ?? 0,
                Count(BinaryPrimitives.ReadUInt32BigEndian(e[4..])) ?? 0);
        }
        return result;
    }

    private static void Expect(ReadOnlySpan<byte> packet, uint action, int minimumLength)
    {
        if (packet.Length < 8) throw new TrackerException(TrackerErrorReason.TruncatedPacket, $"A reply of {packet.Length} bytes.");
        var actual = BinaryPrimitives.ReadUInt32BigEndian(packet);
        if (actual == ActionError)
        {
            var text = Encoding.UTF8.GetString(packet[8..Math.Min(packet.Length, 8 + 200)]);
            throw new TrackerException(TrackerErrorReason.TrackerFailure, $"The tracker refused: {HttpTrackerResponse.Sanitize(text)}");
        }
        if (actual != action)
        {
            throw new TrackerException(TrackerErrorReason.UnexpectedAction, $"Expected action {action}, got {actual}.");
        }
        if (packet.Length < minimumLength)
        {
            throw new TrackerException(TrackerErrorReason.TruncatedPacket,
                $"Action {action} needs {minimumLength} bytes, the reply has {packet.Length}.");
        }
    }

    private static int? Count(uint value) => value > int.MaxValue ? null : (int)value;
}
