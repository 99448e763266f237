using System.Text;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// Reads a BEP 48 scrape reply without requiring sorted keys: opentracker writes the <c>files</c> dictionary of a
/// multi-hash scrape in its hash-table order, not sorted (libtorrent's bdecode accepts that). No hash is taken over a
/// scrape reply, so order does not matter; a repeated hash keeps its last entry. Limits as for any tracker body.
/// </summary>
internal static class HttpScrapeReply
{
    /// <summary>Dictionary nesting of a scrape reply: root → files → entry (one more level tolerated for extensions).</summary>
    private const int MaxDepth = 8;

    /// <exception cref="TrackerException">Failure reason, garbage, a missing or malformed <c>files</c> dictionary.</exception>
    public static IReadOnlyDictionary<string, ScrapeEntry> Parse(ReadOnlySpan<byte> body, TrackerLimits limits)
    {
        if (body.Length > limits.MaxResponseLength)
        {
            throw new TrackerException(TrackerErrorReason.ResponseTooLarge,
                $"The reply has {body.Length} bytes; the limit is {limits.MaxResponseLength}.");
        }
        var reader = new BencodeReader(body, new BencodeLimits
        {
            MaxDepth = MaxDepth, MaxTotalLength = limits.MaxResponseLength, MaxStringLength = limits.MaxResponseLength,
            MaxItems = 8 * limits.MaxHttpScrapeHashes + 1024, RequireSortedKeys = false,
        });
        Dictionary<string, ScrapeEntry>? result = null;
        try
        {
            if (reader.PeekToken() != BencodeTokenType.StartDictionary) throw new TrackerException(TrackerErrorReason.MalformedBencode, "The reply is not a dictionary.");
            reader.ReadStartDictionary();
            while (!reader.TryReadEndDictionary())
            {
                var key = reader.ReadString();
                if (key.SequenceEqual("failure reason"u8) && reader.PeekToken() == BencodeTokenType.String)
                {
                    var text = Encoding.UTF8.GetString(reader.ReadString());
                    throw new TrackerException(TrackerErrorReason.TrackerFailure, $"The tracker refused: {Printable(text)}");
                }
                if (key.SequenceEqual("files"u8) && reader.PeekToken() == BencodeTokenType.StartDictionary)
                {
                    result = ReadFiles(ref reader);
                }
                else
                {
                    Skip(ref reader);
                }
            }
            reader.EnsureFinished();
        }
        catch (BencodeException e)
        {
            throw new TrackerException(TrackerErrorReason.MalformedBencode, $"The reply is not valid bencode: {e.Message}", e);
        }
        return result ?? throw Invalid("no 'files' dictionary");
    }

    private static Dictionary<string, ScrapeEntry> ReadFiles(ref BencodeReader reader)
    {
        var result = new Dictionary<string, ScrapeEntry>(StringComparer.Ordinal);
        reader.ReadStartDictionary();
        while (!reader.TryReadEndDictionary())
        {
            var hash = Convert.ToHexStringLower(reader.ReadString());
            if (hash.Length != 40 || reader.PeekToken() != BencodeTokenType.StartDictionary) throw Invalid("a 'files' entry is malformed");
            reader.ReadStartDictionary();
            int complete = 0, incomplete = 0, downloaded = 0;
            while (!reader.TryReadEndDictionary())
            {
                var field = reader.ReadString();
                if (reader.PeekToken() != BencodeTokenType.Integer)
                {
                    Skip(ref reader);
                    continue;
                }
                var value = Count(reader.ReadInteger());
                if (field.SequenceEqual("complete"u8)) complete = value;
                else if (field.SequenceEqual("incomplete"u8)) incomplete = value;
                else if (field.SequenceEqual("downloaded"u8)) downloaded = value;
            }
            result[hash] = new ScrapeEntry(complete, incomplete, downloaded);
        }
        return result;
    }

    private static void Skip(ref BencodeReader reader)
    {
        switch (reader.PeekToken())
        {
            case BencodeTokenType.Integer:
                reader.ReadInteger();
                break;
            case BencodeTokenType.String:
                reader.ReadString();
                break;
            case BencodeTokenType.StartList:
                reader.ReadStartList();
                while (!reader.TryReadEndList()) Skip(ref reader);
                break;
            case BencodeTokenType.StartDictionary:
                reader.ReadStartDictionary();
                while (!reader.TryReadEndDictionary())
                {
                    reader.ReadString();
                    Skip(ref reader);
                }
                break;
            default:
                throw Invalid("a value is missing");
        }
    }

    /// <summary>A count the tracker sent: negative ones are garbage, huge ones are clamped to int.</summary>
    private static int Count(long value) =>
        value < 0 ? throw Invalid("a scrape count is negative") : (int)Math.Min(value, int.MaxValue);

    private static string Printable(string text) =>
        new(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static TrackerException Invalid(string detail) => new(TrackerErrorReason.InvalidField, $"The reply is malformed: {detail}.");
}
