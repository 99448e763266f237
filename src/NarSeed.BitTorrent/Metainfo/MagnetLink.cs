using System.Globalization;
using System.Net;
using System.Text;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// A BEP 9 magnet link: <c>xt=urn:btih:</c> (v1, hex or base32), <c>xt=urn:btmh:1220…</c> (v2, BEP 52), <c>dn</c>,
/// <c>xl</c>, <c>tr</c>, <c>ws</c> (web seed) and <c>x.pe</c> (peer). Written in libtorrent's order: btih, btmh,
/// dn, xl, tr, ws, x.pe.
/// </summary>
public sealed class MagnetLink
{
    private const string Prefix = "magnet:?";
    private const string BtihPrefix = "urn:btih:";
    /// <summary>BEP 52: multihash sha2-256 (0x12) of 32 bytes (0x20). libtorrent requires this exact lowercase prefix.</summary>
    private const string BtmhPrefix = "urn:btmh:1220";
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>SHA-1 info-hash (20 bytes), or null.</summary>
    public ReadOnlyMemory<byte>? InfoHashV1 { get; init; }

    /// <summary>SHA-256 info-hash (32 bytes), or null.</summary>
    public ReadOnlyMemory<byte>? InfoHashV2 { get; init; }

    public string? DisplayName { get; init; }

    public long? ExactLength { get; init; }

    public IReadOnlyList<string> Trackers { get; init; } = [];

    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    /// <summary>Peers to connect to directly (<c>x.pe</c>): <see cref="IPEndPoint"/> or <see cref="DnsEndPoint"/>.</summary>
    public IReadOnlyList<EndPoint> Peers { get; init; } = [];

    public override string ToString()
    {
        if (InfoHashV1 is null && InfoHashV2 is null)
            throw new InvalidOperationException("A magnet link needs at least one info-hash.");
        var parts = new List<string>();
        if (InfoHashV1 is { } v1) parts.Add("xt=" + BtihPrefix + Convert.ToHexStringLower(v1.Span));
        if (InfoHashV2 is { } v2) parts.Add("xt=" + BtmhPrefix + Convert.ToHexStringLower(v2.Span));
        if (DisplayName is not null) parts.Add("dn=" + Uri.EscapeDataString(DisplayName));
        if (ExactLength is { } xl) parts.Add("xl=" + xl.ToString(CultureInfo.InvariantCulture));
        parts.AddRange(Trackers.Select(t => "tr=" + Uri.EscapeDataString(t)));
        parts.AddRange(WebSeeds.Select(w => "ws=" + Uri.EscapeDataString(w)));
        // libtorrent parses x.pe without unescaping, so it is written verbatim.
        parts.AddRange(Peers.Select(p => "x.pe=" + FormatPeer(p)));
        return Prefix + string.Join('&', parts);
    }

    public static bool TryParse(string link, out MagnetLink? magnet)
    {
        try
        {
            magnet = Parse(link);
            return true;
        }
        catch (MagnetLinkException)
        {
            magnet = null;
            return false;
        }
    }

    /// <summary>Parses a magnet link; parameter names are case-insensitive, a numeric <c>.N</c> suffix is ignored and
    /// unknown parameters are skipped, as in libtorrent.</summary>
    public static MagnetLink Parse(string link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            throw new MagnetLinkException(MagnetErrorReason.InvalidScheme, 0, "expected 'magnet:?'");
        byte[]? v1 = null, v2 = null;
        string? name = null;
        long? length = null;
        List<string> trackers = [], webSeeds = [];
        List<EndPoint> peers = [];
        var offset = Prefix.Length;
        foreach (var parameter in link[Prefix.Length..].Split('&'))
        {
            var at = offset;
            offset += parameter.Length + 1;
            var equals = parameter.IndexOf('=');
            if (equals <= 0) continue;
            var key = NormaliseKey(parameter[..equals]);
            var value = Unescape(parameter[(equals + 1)..], at);
            switch (key)
            {
                case "xt":
                    ParseExactTopic(value, at, ref v1, ref v2);
                    break;
                case "dn":
                    name = value;
                    break;
                case "xl":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var xl))
                        throw new MagnetLinkException(MagnetErrorReason.InvalidLength, at, $"xl '{value}'");
                    length = xl;
                    break;
                case "tr":
                    trackers.Add(RequireUrl(value, at));
                    break;
                case "ws":
                    webSeeds.Add(RequireUrl(value, at));
                    break;
                case "x.pe":
                    peers.Add(ParsePeer(value, at));
                    break;
            }
        }
        if (v1 is null && v2 is null)
            throw new MagnetLinkException(MagnetErrorReason.MissingInfoHash, Prefix.Length, "no urn:btih or urn:btmh");
        return new MagnetLink
        {
            InfoHashV1 = v1 is null ? (ReadOnlyMemory<byte>?)null : v1, InfoHashV2 = v2 is null ? (ReadOnlyMemory<byte>?)null : v2, DisplayName = name, ExactLength = length,
            Trackers = trackers, WebSeeds = webSeeds, Peers = peers,
        };
    }

    private static void ParseExactTopic(string value, int at, ref byte[]? v1, ref byte[]? v2)
    {
        byte[]? hash;
        if (value.StartsWith(BtihPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var text = value[BtihPrefix.Length..];
            hash = text.Length switch
            {
                40 => FromHex(text),
                32 => FromBase32(text),
                _ => null,
            } ?? throw new MagnetLinkException(MagnetErrorReason.InvalidInfoHash, at, "btih must be 40 hex or 32 base32 characters");
            v1 = Merge(v1, hash, at);
        }
        else if (value.StartsWith("urn:btmh:", StringComparison.Ordinal))
        {
            var text = value.StartsWith(BtmhPrefix, StringComparison.Ordinal) ? value[BtmhPrefix.Length..] : "";
            hash = text.Length == 64 ? FromHex(text) : null;
            if (hash is null)
                throw new MagnetLinkException(MagnetErrorReason.InvalidInfoHash, at, "btmh must be 1220 + 64 hex characters");
            v2 = Merge(v2, hash, at);
        }
        else if (value.StartsWith("urn:btmh:", StringComparison.OrdinalIgnoreCase))
        {
            throw new MagnetLinkException(MagnetErrorReason.InvalidInfoHash, at, "the btmh prefix must be lowercase 'urn:btmh:'");
        }
    }

    private static byte[] Merge(byte[]? existing, byte[] hash, int at) =>
        existing is null || existing.AsSpan().SequenceEqual(hash)
            ? hash
            : throw new MagnetLinkException(MagnetErrorReason.ConflictingInfoHash, at, "two different info-hashes");

    private static string NormaliseKey(string key)
    {
        key = key.ToLowerInvariant();
        var dot = key.LastIndexOf('.');
        return dot > 0 && dot < key.Length - 1 && key[(dot + 1)..].All(char.IsAsciiDigit) ? key[..dot] : key;
    }

    private static string Unescape(string value, int at)
    {
        if (!value.Contains('%')) return value;
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                continue;
            }
            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                throw new MagnetLinkException(MagnetErrorReason.InvalidEscape, at, "bad %-escape");
            bytes.Add(b);
            i += 2;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string RequireUrl(string value, int at) =>
        Uri.TryCreate(value, UriKind.Absolute, out _) ? value
            : throw new MagnetLinkException(MagnetErrorReason.InvalidUrl, at, $"'{value}' is not an absolute URL");

    private static EndPoint ParsePeer(string value, int at)
    {
        var colon = value.LastIndexOf(':');
        if (colon > 0 && ushort.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port != 0)
        {
            var host = value[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                if (IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                    return new IPEndPoint(v6, port);
            }
            else if (!host.Contains(':'))
            {
                if (IPAddress.TryParse(host, out var v4) && host.Count(c => c == '.') == 3) return new IPEndPoint(v4, port);
                if (Uri.CheckHostName(host) == UriHostNameType.Dns) return new DnsEndPoint(host, port);
            }
        }
        throw new MagnetLinkException(MagnetErrorReason.InvalidPeer, at, $"x.pe '{value}' is not host:port");
    }

    private static string FormatPeer(EndPoint peer) => peer switch
    {
        IPEndPoint ip => ip.ToString(), // "1.2.3.4:5" or "[::1]:5"
        DnsEndPoint dns => $"{dns.Host}:{dns.Port.ToString(CultureInfo.InvariantCulture)}",
        _ => throw new ArgumentException($"Unsupported peer endpoint {peer}."),
    };

    private static byte[]? FromHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[]? FromBase32(string text)
    {
        var result = new byte[20];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in text)
        {
            var v = Base32Alphabet.IndexOf(char.ToUpperInvariant(c));
            if (v < 0) return null;
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                result[index++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        return result;
    }
}
