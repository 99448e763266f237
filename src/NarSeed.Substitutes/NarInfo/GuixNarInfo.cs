using System.Globalization;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.NarInfo;

/// <summary>
/// A Guix-dialect narinfo (guix/narinfo.scm <c>read-narinfo</c>, guix/records.scm <c>recutils->alist</c>;
/// substitutes.md §3). The signature covers the exact bytes before the first <c>Signature:</c>, kept in
/// <see cref="SignedPart"/>; NarSeed's own fields go after the signature.
/// </summary>
public sealed partial class GuixNarInfo
{
    /// <summary>Keys Guix reads; <see cref="WithExtraField"/> refuses them.</summary>
    public static readonly IReadOnlyList<string> KnownFields =
        ["StorePath", "URL", "Compression", "FileHash", "FileSize", "NarHash", "NarSize", "References", "Deriver", "System", "Signature"];

    private GuixNarInfo(string text) => Text = text;

    public string Text { get; }

    public required StorePath StorePath { get; init; }

    public required NixHash NarHash { get; init; }

    public required long NarSize { get; init; }

    public required IReadOnlyList<StorePath> References { get; init; }

    public StorePath? Deriver { get; init; }

    public string? System { get; init; }

    /// <summary>The raw <c>Signature</c> value, <c>1;host;base64</c>, or null.</summary>
    public string? SignatureValue { get; init; }

    /// <summary>Text from offset 0 up to (not including) the first <c>Signature:</c>; the whole text when unsigned.</summary>
    public required string SignedPart { get; init; }

    /// <summary>True when StorePath, NarHash and References all lie in <see cref="SignedPart"/>; Guix treats the narinfo as unsigned otherwise.</summary>
    public required bool SignedPartHasRequiredFields { get; init; }

    public required IReadOnlyList<GuixNarInfoEntry> Entries { get; init; }

    /// <summary>Fields with names Guix ignores, in text order.</summary>
    public required IReadOnlyList<NarInfoField> ExtraFields { get; init; }

    public string? GetExtraField(string name) =>
        ExtraFields.FirstOrDefault(f => f.Name == name) is { Name: not null } f ? f.Value : null;

    /// <summary>
    /// Sets a field NarSeed owns (e.g. <c>Magnet</c>) after the signature: replaces an existing one there, or appends
    /// a line at the end. Everything before <c>Signature:</c> stays byte for byte.
    /// </summary>
    public GuixNarInfo WithExtraField(string name, string value)
    {
        NarInfoText.ValidateNewField(name, value);
        if (KnownFields.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{name}' is a Guix field; NarSeed fields need their own names.", nameof(name));
        }
        var newLine = name + ": " + value + "\n";
        var searchFrom = SignatureValue is null ? 0 : SignedPart.Length;
        for (var start = searchFrom; start < Text.Length;)
        {
            var end = Text.IndexOf('\n', start);
            var lineEnd = end < 0 ? Text.Length : end + 1;
            if (Text.AsSpan(start, lineEnd - start).StartsWith(name + ":", StringComparison.Ordinal))
            {
                return Parse(string.Concat(Text.AsSpan(0, start), newLine, Text.AsSpan(lineEnd)), StorePath.StoreDirectory);
            }
            start = lineEnd;
        }
        var body = Text.Length == 0 || Text.EndsWith('\n') ? Text : Text + "\n";
        return Parse(body + newLine, StorePath.StoreDirectory);
    }

    private static long ParseSize(string value, int line) =>
        value.Length is > 0 and <= 19 && value.All(char.IsAsciiDigit)
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new NarInfoFormatException(NarInfoErrorReason.BadNumber, line, $"'{value}' is not a size.");

    private static CompressionMethod ParseCompression(string value, int line) =>
        CompressionMethodNames.TryParse(value, out var m)
            ? m
            : throw new NarInfoFormatException(NarInfoErrorReason.UnknownCompression, line, $"unknown compression '{value}'.");
}
