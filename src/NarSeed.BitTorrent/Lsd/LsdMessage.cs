using System.Globalization;
using System.Text;

namespace NarSeed.BitTorrent.Lsd;

/// <summary>
/// BEP 14 <c>BT-SEARCH</c> messages: HTTP-like header lines over UDP. Several <c>Infohash</c> lines may share one
/// packet as long as it stays within <see cref="LsdOptions.MaxPacketLength"/>.
/// </summary>
public static class LsdMessage
{
    private const string InfohashLinePrefix = "Infohash: ";

    private static readonly Encoding StrictAscii =
        Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>
    /// Packs <paramref name="infoHashes"/> (20 bytes each) into as few packets as fit the size limit.
    /// <paramref name="host"/> is the group as written in the Host header (e.g. <c>239.192.152.143:6771</c>).
    /// </summary>
    public static IReadOnlyList<byte[]> Format(string host, int port, IEnumerable<ReadOnlyMemory<byte>> infoHashes, string cookie)
    {
        var (head, tail) = Frame(host, port, cookie);
        var perPacket = Capacity(host, port, cookie);
        if (perPacket <= 0) throw new ArgumentException("The host and cookie leave no room for an info-hash.");
        var packets = new List<byte[]>();
        var builder = new StringBuilder(head);
        var count = 0;
        foreach (var hash in infoHashes)
        {
            if (hash.Length != 20) throw new ArgumentException("LSD announces 20-byte info-hashes.");
            builder.Append(InfohashLinePrefix).Append(Convert.ToHexStringLower(hash.Span)).Append("\r\n");
            if (++count < perPacket) continue;
            packets.Add(Encoding.ASCII.GetBytes(builder.Append(tail).ToString()));
            builder.Clear().Append(head);
            count = 0;
        }
        if (count > 0) packets.Add(Encoding.ASCII.GetBytes(builder.Append(tail).ToString()));
        return packets;
    }

    /// <summary>How many Infohash lines fit one packet with this host, port and cookie.</summary>
    public static int Capacity(string host, int port, string cookie)
    {
        var (head, tail) = Frame(host, port, cookie);
        return (LsdOptions.MaxPacketLength - head.Length - tail.Length) / (InfohashLinePrefix.Length + 40 + 2);
    }

    private static (string Head, string Tail) Frame(string host, int port, string cookie) =>
        ($"BT-SEARCH * HTTP/1.1\r\nHost: {host}\r\nPort: {port.ToString(CultureInfo.InvariantCulture)}\r\n",
            $"cookie: {cookie}\r\n\r\n\r\n");

    /// <summary>
    /// Parses a datagram; false for anything that is not a well-formed BT-SEARCH with a valid port and at least one
    /// 40-hex info-hash. Unknown headers are ignored, header names are case-insensitive.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out LsdAnnouncement announcement)
    {
        announcement = null!;
        if (datagram.Length > LsdOptions.MaxPacketLength * 2) return false; // generous, still bounded
        string text;
        try
        {
            text = StrictAscii.GetString(datagram);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var lines = text.Split("\r\n");
        if (lines.Length < 2 || lines[0] != "BT-SEARCH * HTTP/1.1") return false;
        int? port = null;
        string? cookie = null;
        var hashes = new List<byte[]>();
        foreach (var line in lines.AsSpan(1))
        {
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) return false;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Port", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is <= 0 or > 65535) return false;
                port = p;
            }
            else if (name.Equals("Infohash", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length != 40 || !value.All(Uri.IsHexDigit)) continue; // libtorrent skips bad hashes too
                hashes.Add(Convert.FromHexString(value));
            }
            else if (name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                cookie = value;
            }
        }
        if (port is null || hashes.Count == 0) return false;
        announcement = new LsdAnnouncement(port.Value, hashes, cookie);
        return true;
    }
}
