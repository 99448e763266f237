using System.Globalization;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.NarInfo;

public sealed partial class NixNarInfo
{
    public static NixNarInfo Parse(ReadOnlySpan<byte> utf8, string storeDirectory = StorePath.NixStoreDirectory,
        NarInfoLimits? limits = null)
    {
        limits ??= NarInfoLimits.Default;
        return Parse(NarInfoText.Decode(utf8, limits), storeDirectory, limits);
    }

    /// <summary>
    /// Parses with Nix's rules (nar-info.cc): every line is <c>Name: value\n</c>; StorePath, URL, NarHash and a non-zero
    /// NarSize are required; a missing Compression is bzip2; unknown names are kept as <see cref="ExtraFields"/>.
    /// Stricter than Nix where Nix would silently take the last of two values: any known field but Sig may appear once.
    /// </summary>
    public static NixNarInfo Parse(string text, string storeDirectory = StorePath.NixStoreDirectory,
        NarInfoLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= NarInfoLimits.Default;
        NarInfoText.CheckLength(text, limits);

        StorePath? storePath = null;
        string? url = null;
        CompressionMethod? compression = null;
        NixHash? fileHash = null, narHash = null;
        long? fileSize = null, narSize = null;
        List<StorePath>? references = null;
        StorePath? deriver = null;
        var deriverSeen = false;
        string? ca = null;
        var sigs = new List<string>();
        var extras = new List<NarInfoField>();

        var pos = 0;
        var line = 0;
        while (pos < text.Length)
        {
            line++;
            var eol = text.IndexOf('\n', pos);
            if (eol < 0) throw Error(NarInfoErrorReason.MissingNewline, line, "the last line has no '\\n'.");
            var lineText = text.AsSpan(pos, eol - pos);
            pos = eol + 1;
            var colon = lineText.IndexOf(':');
            if (colon < 0) throw Error(NarInfoErrorReason.MissingColon, line, "no ':' in the line.");
            if (colon + 1 >= lineText.Length || lineText[colon + 1] != ' ')
            {
                throw Error(NarInfoErrorReason.MissingSpaceAfterColon, line, "Nix reads the value two characters after ':'.");
            }
            var name = lineText[..colon].ToString();
            var value = lineText[(colon + 2)..].ToString();
            switch (name)
            {
                case "StorePath":
                    Once(storePath is not null, name, line);
                    storePath = ParsePath(value, storeDirectory, line, NarInfoErrorReason.BadStorePath);
                    break;
                case "URL":
                    Once(url is not null, name, line);
                    url = value;
                    break;
                case "Compression":
                    Once(compression is not null, name, line);
                    if (!CompressionMethodNames.TryParse(value, out var method))
                    {
                        throw Error(NarInfoErrorReason.UnknownCompression, line, $"unknown compression '{Clip(value)}'.");
                    }
                    compression = method;
                    break;
                case "FileHash":
                    Once(fileHash is not null, name, line);
                    fileHash = ParseHash(value, line);
                    break;
                case "FileSize":
                    Once(fileSize is not null, name, line);
                    fileSize = ParseNumber(value, line);
                    break;
                case "NarHash":
                    Once(narHash is not null, name, line);
                    narHash = ParseHash(value, line);
                    break;
                case "NarSize":
                    Once(narSize is not null, name, line);
                    narSize = ParseNumber(value, line);
                    break;
                case "References":
                    // A second References line is "extra References" in Nix: corrupt.
                    Once(references is not null, name, line);
                    references = ParseReferences(value, storeDirectory, line, limits);
                    break;
                case "Deriver":
                    Once(deriverSeen, name, line);
                    deriverSeen = true;
                    if (value != UnknownDeriver)
                    {
                        deriver = ParseBaseName(value, storeDirectory, line, NarInfoErrorReason.BadDeriver);
                    }
                    break;
                case "Sig":
                    if (!sigs.Contains(value, StringComparer.Ordinal))
                    {
                        if (sigs.Count >= limits.MaxSignatures)
                        {
                            throw Error(NarInfoErrorReason.TooManySignatures, line,
                                $"more than MaxSignatures = {limits.MaxSignatures}.");
                        }
                        sigs.Add(value);
                    }
                    break;
                case "CA":
                    // A second CA line is "extra CA" in Nix: corrupt.
                    Once(ca is not null, name, line);
                    if (!value.StartsWith("fixed:", StringComparison.Ordinal) && !value.StartsWith("text:", StringComparison.Ordinal))
                    {
                        throw Error(NarInfoErrorReason.BadContentAddress, line, $"'{Clip(value)}' is not a content address.");
                    }
                    ca = value;
                    break;
                default:
                    if (name.Length == 0) throw Error(NarInfoErrorReason.BadFieldName, line, "empty field name.");
                    if (extras.Count >= limits.MaxExtraFields)
                    {
                        throw Error(NarInfoErrorReason.TooManyFields, line, $"more than MaxExtraFields = {limits.MaxExtraFields}.");
                    }
                    extras.Add(new NarInfoField(name, value, line));
                    break;
            }
        }

        if (storePath is null) throw Error(NarInfoErrorReason.MissingField, 0, "StorePath missing.");
        if (url is null) throw Error(NarInfoErrorReason.MissingField, 0, "URL missing.");
        if (narHash is null) throw Error(NarInfoErrorReason.MissingField, 0, "NarHash missing.");
        if (narSize is null) throw Error(NarInfoErrorReason.MissingField, 0, "NarSize missing.");
        if (narSize == 0) throw Error(NarInfoErrorReason.ZeroNarSize, 0, "NarSize is zero.");

        return new NixNarInfo(text)
        {
            StorePath = storePath,
            Url = url,
            Compression = compression ?? CompressionMethod.Bzip2,
            HasCompressionField = compression is not null,
            FileHash = fileHash,
            FileSize = fileSize,
            NarHash = narHash,
            NarSize = narSize.Value,
            References = (IReadOnlyList<StorePath>?)references ?? [],
            Deriver = deriver,
            Signatures = sigs,
            ContentAddress = ca,
            ExtraFields = extras,
        };
    }

    public static bool TryParse(string text, string storeDirectory, out NixNarInfo? narInfo)
    {
        try
        {
            narInfo = Parse(text, storeDirectory);
            return true;
        }
        catch (NarInfoFormatException)
        {
            narInfo = null;
            return false;
        }
    }

    private static void Once(bool seen, string name, int line)
    {
        if (seen) throw Error(NarInfoErrorReason.DuplicateField, line, $"second '{name}' line.");
    }

    private static StorePath ParsePath(string value, string storeDirectory, int line, NarInfoErrorReason reason)
    {
        try
        {
            return StorePath.Parse(value, storeDirectory);
        }
        catch (StorePathException e) when (e.Reason == StorePathErrorReason.NotInStoreDirectory)
        {
            throw Error(NarInfoErrorReason.StorePathOutsideStore, line, $"'{Clip(value)}' is not under {storeDirectory}.");
        }
        catch (StorePathException e)
        {
            throw Error(reason, line, e.Message);
        }
    }

    private static StorePath ParseBaseName(string value, string storeDirectory, int line, NarInfoErrorReason reason)
    {
        try
        {
            return StorePath.FromBaseName(storeDirectory, value);
        }
        catch (StorePathException e)
        {
            throw Error(reason, line, e.Message);
        }
    }

    private static List<StorePath> ParseReferences(string value, string storeDirectory, int line, NarInfoLimits limits)
    {
        var result = new List<StorePath>();
        foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (result.Count >= limits.MaxReferences)
            {
                throw Error(NarInfoErrorReason.TooManyReferences, line, $"more than MaxReferences = {limits.MaxReferences}.");
            }
            result.Add(ParseBaseName(token, storeDirectory, line, NarInfoErrorReason.BadReference));
        }
        return result;
    }

    private static NixHash ParseHash(string value, int line) =>
        NixHash.TryParse(value, out var hash) ? hash! : throw Error(NarInfoErrorReason.BadHash, line, $"'{Clip(value)}' is not a hash.");

    private static long ParseNumber(string value, int line)
    {
        if (value.Length == 0 || value.Length > 19 || !value.All(char.IsAsciiDigit)
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw Error(NarInfoErrorReason.BadNumber, line, $"'{Clip(value)}' is not a size.");
        }
        return n;
    }

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private static NarInfoFormatException Error(NarInfoErrorReason reason, int line, string detail) => new(reason, line, detail);
}
