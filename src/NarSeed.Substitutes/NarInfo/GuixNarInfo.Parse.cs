using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.NarInfo;

public sealed partial class GuixNarInfo
{
    public static GuixNarInfo Parse(ReadOnlySpan<byte> utf8, string storeDirectory = StorePath.GuixStoreDirectory,
        NarInfoLimits? limits = null)
    {
        limits ??= NarInfoLimits.Default;
        return Parse(NarInfoText.Decode(utf8, limits), storeDirectory, limits);
    }

    /// <summary>
    /// Parses with Guix's recutils rules: a field line starts with a letter or '%', '#' lines are comments, '+'
    /// continues the previous value, a blank line ends the record, anything else is "unmatched line". The value is
    /// everything after the first ':', trimmed. URL, Compression and FileSize repeat and pair by position.
    /// </summary>
    public static GuixNarInfo Parse(string text, string storeDirectory = StorePath.GuixStoreDirectory, NarInfoLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= NarInfoLimits.Default;
        NarInfoText.CheckLength(text, limits);
        var signatureAt = text.IndexOf("Signature:", StringComparison.Ordinal);
        var signedPart = signatureAt < 0 ? text : text[..signatureAt];
        var signedLines = signatureAt < 0 ? int.MaxValue : NarInfoText.CountLines(text, signatureAt);

        var fields = new List<NarInfoField>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (fields.Count == 0) continue;
                break; // A blank line ends the record.
            }
            if (line[0] == '#') continue;
            if (line[0] == '+')
            {
                if (fields.Count == 0) throw new NarInfoFormatException(NarInfoErrorReason.UnmatchedLine, lineNo, "continuation without a field.");
                var last = fields[^1];
                fields[^1] = last with { Value = last.Value + "\n" + line[1..].Trim() };
                continue;
            }
            if (!char.IsAsciiLetter(line[0]) && line[0] != '%')
            {
                throw new NarInfoFormatException(NarInfoErrorReason.UnmatchedLine, lineNo, "a field must start with a letter.");
            }
            var colon = line.IndexOf(':');
            if (colon < 0) throw new NarInfoFormatException(NarInfoErrorReason.MissingColon, lineNo, "no ':' in the line.");
            if (fields.Count >= limits.MaxExtraFields + KnownFields.Count + 3 * limits.MaxGuixUrlGroups)
            {
                throw new NarInfoFormatException(NarInfoErrorReason.TooManyFields, lineNo, "too many fields.");
            }
            fields.Add(new NarInfoField(line[..colon], line[(colon + 1)..].Trim(), lineNo));
        }

        string? Single(string name)
        {
            var matches = fields.Where(f => f.Name == name).ToList();
            if (matches.Count > 1) throw new NarInfoFormatException(NarInfoErrorReason.DuplicateField, matches[1].Line, $"second '{name}'.");
            return matches.Count == 1 ? matches[0].Value : null;
        }

        var storePathText = Single("StorePath") ?? throw new NarInfoFormatException(NarInfoErrorReason.MissingField, 0, "StorePath missing.");
        var narHashText = Single("NarHash") ?? throw new NarInfoFormatException(NarInfoErrorReason.MissingField, 0, "NarHash missing.");
        var narSizeText = Single("NarSize") ?? throw new NarInfoFormatException(NarInfoErrorReason.MissingField, 0, "NarSize missing.");
        var referencesText = Single("References") ?? throw new NarInfoFormatException(NarInfoErrorReason.MissingField, 0, "References missing.");
        var deriverText = Single("Deriver");
        var signature = Single("Signature");

        StorePath storePath;
        try
        {
            storePath = StorePath.Parse(storePathText, storeDirectory);
        }
        catch (StorePathException e)
        {
            throw new NarInfoFormatException(e.Reason == StorePathErrorReason.NotInStoreDirectory
                ? NarInfoErrorReason.StorePathOutsideStore : NarInfoErrorReason.BadStorePath, LineOf(fields, "StorePath"), e.Message);
        }
        if (!NixHash.TryParse(narHashText, out var narHash))
        {
            throw new NarInfoFormatException(NarInfoErrorReason.BadHash, LineOf(fields, "NarHash"), "NarHash is not a hash.");
        }
        var narSize = ParseSize(narSizeText, LineOf(fields, "NarSize"));
        var refTokens = referencesText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (refTokens.Length > limits.MaxReferences)
        {
            throw new NarInfoFormatException(NarInfoErrorReason.TooManyReferences, LineOf(fields, "References"), $"more than MaxReferences = {limits.MaxReferences}.");
        }
        var references = refTokens.Select(r => BaseName(storeDirectory, r, LineOf(fields, "References"), NarInfoErrorReason.BadReference)).ToList();
        var deriver = deriverText is null or "" ? null : BaseName(storeDirectory, deriverText, LineOf(fields, "Deriver"), NarInfoErrorReason.BadDeriver);

        var urls = fields.Where(f => f.Name == "URL").ToList();
        var compressions = fields.Where(f => f.Name == "Compression").ToList();
        var sizes = fields.Where(f => f.Name == "FileSize").ToList();
        if (urls.Count > limits.MaxGuixUrlGroups)
        {
            throw new NarInfoFormatException(NarInfoErrorReason.TooManyFields, urls[limits.MaxGuixUrlGroups].Line, $"more than MaxGuixUrlGroups = {limits.MaxGuixUrlGroups}.");
        }
        if (compressions.Count > urls.Count || (sizes.Count != 0 && sizes.Count != urls.Count))
        {
            throw new NarInfoFormatException(NarInfoErrorReason.MismatchedGroups, 0, $"{urls.Count} URL, {compressions.Count} Compression, {sizes.Count} FileSize lines.");
        }
        var entries = urls.Select((u, i) => new GuixNarInfoEntry(
            u.Value,
            i < compressions.Count ? ParseCompression(compressions[i].Value, compressions[i].Line) : CompressionMethod.None,
            i < sizes.Count ? ParseSize(sizes[i].Value, sizes[i].Line) : null)).ToList();

        bool Signed(string name) => fields.Any(f => f.Name == name && f.Line < signedLines);

        return new GuixNarInfo(text)
        {
            StorePath = storePath,
            NarHash = narHash!,
            NarSize = narSize,
            References = references,
            Deriver = deriver,
            System = Single("System"),
            SignatureValue = signature,
            SignedPart = signedPart,
            SignedPartHasRequiredFields = signature is not null && Signed("StorePath") && Signed("NarHash") && Signed("References"),
            Entries = entries,
            ExtraFields = fields.Where(f => !KnownFields.Contains(f.Name, StringComparer.Ordinal)).ToList(),
        };
    }

    private static int LineOf(List<NarInfoField> fields, string name) => fields.First(f => f.Name == name).Line;

    private static StorePath BaseName(string storeDirectory, string value, int line, NarInfoErrorReason reason)
    {
        try
        {
            return StorePath.FromBaseName(storeDirectory, value);
        }
        catch (StorePathException e)
        {
            throw new NarInfoFormatException(reason, line, e.Message);
        }
    }
}
