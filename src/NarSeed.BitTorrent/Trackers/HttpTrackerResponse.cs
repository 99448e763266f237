using System.Net;
using System.Text;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>Parses HTTP tracker bodies (BEP 3 announce with BEP 23/7 peers, BEP 48 scrape) within <see cref="TrackerLimits"/>.</summary>
public static class HttpTrackerResponse
{
    private static BencodeLimits BodyLimits(TrackerLimits limits) => new()
    {
        MaxDepth = 8, MaxTotalLength = limits.MaxResponseLength, MaxStringLength = limits.MaxResponseLength,
        // A dictionary-model peer list has 3 items per peer plus the list; allow some slack beyond MaxPeers.
        MaxItems = 4 * limits.MaxPeers + 1024,
    };

    /// <exception cref="TrackerException">Failure reason, garbage, missing or ill-typed fields.</exception>
    public static AnnounceResponse ParseAnnounce(ReadOnlyMemory<byte> body, TrackerLimits limits)
    {
        var root = ParseRoot(body, limits);
        ThrowOnFailure(root);
        var peers = new List<IPEndPoint>();
        switch (root.TryGetValue("peers", out var v4) ? v4 : null)
        {
            case BencodeString compact:
                if (!CompactPeers.TryRead(compact.Bytes.Span, ipv6: false, limits.MaxPeers, peers))
                {
                    throw Invalid($"'peers' has {compact.Bytes.Length} bytes, not a multiple of 6");
                }
                break;
            case BencodeList list:
                ReadDictionaryPeers(list, limits.MaxPeers, peers);
                break;
            case null:
                break;
            default:
                throw Invalid("'peers' is neither a string nor a list");
        }
        if (root.Get<BencodeString>("peers6") is { } peers6 &&
            !CompactPeers.TryRead(peers6.Bytes.Span, ipv6: true, limits.MaxPeers, peers))
        {
            throw Invalid($"'peers6' has {peers6.Bytes.Length} bytes, not a multiple of 18");
        }
        return new AnnounceResponse
        {
            Interval = Seconds(root, "interval") ?? TrackerLimits.DefaultInterval,
            MinInterval = Seconds(root, "min interval"),
            TrackerId = Text(root, "tracker id"),
            WarningMessage = Text(root, "warning message"),
            Seeders = Count(root, "complete"),
            Leechers = Count(root, "incomplete"),
            Peers = peers,
        };
    }

    /// <summary>BEP 48: <c>files</c> maps each 20-byte hash to its counts; the result is keyed by lower-case hex. Keys
    /// need not be sorted (see <see cref="HttpScrapeReply"/>).</summary>
    public static IReadOnlyDictionary<string, ScrapeEntry> ParseScrape(ReadOnlyMemory<byte> body, TrackerLimits limits) =>
        HttpScrapeReply.Parse(body.Span, limits);

    private static BencodeDictionary ParseRoot(ReadOnlyMemory<byte> body, TrackerLimits limits)
    {
        if (body.Length > limits.MaxResponseLength)
        {
            throw new TrackerException(TrackerErrorReason.ResponseTooLarge,
                $"The reply has {body.Length} bytes; the limit is {limits.MaxResponseLength}.");
        }
        try
        {
            return BencodeValue.Parse(body, BodyLimits(limits)) as BencodeDictionary
                   ?? throw new TrackerException(TrackerErrorReason.MalformedBencode, "The reply is not a dictionary.");
        }
        catch (BencodeException e)
        {
            throw new TrackerException(TrackerErrorReason.MalformedBencode, $"The reply is not valid bencode: {e.Message}", e);
        }
    }

    private static void ThrowOnFailure(BencodeDictionary root)
    {
        if (root.TryGetValue("failure reason", out var failure))
        {
            throw new TrackerException(TrackerErrorReason.TrackerFailure,
                $"The tracker refused: {Sanitize((failure as BencodeString)?.ToString() ?? "(no text)")}");
        }
    }

    private static void ReadDictionaryPeers(BencodeList list, int max, List<IPEndPoint> peers)
    {
        foreach (var item in list.Items)
        {
            if (peers.Count >= max) return;
            if (item is not BencodeDictionary peer) throw Invalid("a 'peers' list item is not a dictionary");
            var ip = (peer.Get<BencodeString>("ip") ?? throw Invalid("a peer has no 'ip'")).ToString();
            var port = peer.Get<BencodeInteger>("port")?.Value ?? throw Invalid("a peer has no 'port'");
            if (port is <= 0 or > 65535) throw Invalid($"a peer has port {port}");
            // Host names are allowed by BEP 3 but resolving them would let a tracker make us query DNS; skip them.
            if (!IPAddress.TryParse(ip, out var address)) continue;
            var endPoint = new IPEndPoint(address, (int)port);
            if (!peers.Contains(endPoint)) peers.Add(endPoint);
        }
    }

    private static TimeSpan? Seconds(BencodeDictionary root, string key)
    {
        if (!root.TryGetValue(key, out var value)) return null;
        if (value is not BencodeInteger { Value: >= 0 and <= int.MaxValue } integer) throw Invalid($"'{key}' is not a valid number of seconds");
        return TimeSpan.FromSeconds(integer.Value);
    }

    private static int? Count(BencodeDictionary root, string key) =>
        root.Get<BencodeInteger>(key) is { Value: >= 0 and <= int.MaxValue } integer ? (int)integer.Value : null;

    private static string? Text(BencodeDictionary root, string key) =>
        root.Get<BencodeString>(key) is { } s ? Sanitize(s.ToString()) : null;

    /// <summary>Tracker text goes into our logs: keep it short and printable.</summary>
    internal static string Sanitize(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 200))) builder.Append(char.IsControl(c) ? '?' : c);
        return builder.ToString();
    }

    private static TrackerException Invalid(string detail) =>
        new(TrackerErrorReason.InvalidField, $"The reply is malformed: {detail}.");
}
