using System.Text;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.NarInfo;

/// <summary>
/// A Nix-dialect narinfo (NixOS/nix src/libstore/nar-info.cc; substitutes.md §1.2). The exact text is kept in
/// <see cref="Text"/>: edits (<see cref="WithField"/>) rewrite single lines and never touch signed fields.
/// </summary>
public sealed partial class NixNarInfo
{
    /// <summary>The Deriver value meaning "none" (nar-info.cc).</summary>
    public const string UnknownDeriver = "unknown-deriver";

    /// <summary>Fields covered by the fingerprint or by Nix's trust decision; <see cref="WithField"/> refuses them.</summary>
    private static readonly string[] ProtectedFields = ["StorePath", "NarHash", "NarSize", "References", "Sig", "CA"];

    private NixNarInfo(string text)
    {
        Text = text;
    }

    /// <summary>The narinfo exactly as parsed (or as produced by an edit).</summary>
    public string Text { get; }

    public required StorePath StorePath { get; init; }

    /// <summary>The nar location, relative to the cache URL or absolute.</summary>
    public required string Url { get; init; }

    /// <summary>Bzip2 when the field is missing or empty, as in Nix.</summary>
    public required CompressionMethod Compression { get; init; }

    /// <summary>True when the narinfo had a Compression line.</summary>
    public required bool HasCompressionField { get; init; }

    public NixHash? FileHash { get; init; }

    public long? FileSize { get; init; }

    public required NixHash NarHash { get; init; }

    public required long NarSize { get; init; }

    public required IReadOnlyList<StorePath> References { get; init; }

    /// <summary>Null for a missing line or <c>unknown-deriver</c>.</summary>
    public StorePath? Deriver { get; init; }

    /// <summary>Each <c>Sig</c> value (<c>keyname:base64</c>), duplicates collapsed as Nix's set does, in text order.</summary>
    public required IReadOnlyList<string> Signatures { get; init; }

    public string? ContentAddress { get; init; }

    /// <summary>Lines with names Nix ignores (e.g. <c>Magnet</c>, <c>System</c>), in text order.</summary>
    public required IReadOnlyList<NarInfoField> ExtraFields { get; init; }

    public string StoreDirectory => StorePath.StoreDirectory;

    /// <summary>The value of the first extra field called <paramref name="name"/>, or null.</summary>
    public string? GetExtraField(string name) =>
        ExtraFields.FirstOrDefault(f => f.Name == name) is { Name: not null } f ? f.Value : null;

    /// <summary>
    /// The string Nix signs (path-info.cc <c>fingerprint</c>):
    /// <c>1;&lt;path&gt;;sha256:&lt;nix32&gt;;&lt;narSize&gt;;&lt;sorted full reference paths joined by ','&gt;</c>.
    /// </summary>
    public string Fingerprint()
    {
        var refs = References.Select(r => r.FullPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var builder = new StringBuilder(256);
        builder.Append("1;").Append(StorePath.FullPath).Append(';').Append(NarHash.ToNix32String()).Append(';')
            .Append(NarSize.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(';')
            .AppendJoin(',', refs);
        return builder.ToString();
    }

    /// <summary>
    /// Sets a line: replaces the first line called <paramref name="name"/> or appends one at the end. Only unsigned
    /// fields may change (URL, Compression, FileHash, FileSize, Deriver, or names Nix ignores, e.g. <c>Magnet</c>);
    /// every other byte of <see cref="Text"/> is kept.
    /// </summary>
    public NixNarInfo WithField(string name, string value)
    {
        NarInfoText.ValidateNewField(name, value);
        if (ProtectedFields.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{name}' is signed or trust-relevant and cannot be rewritten.", nameof(name));
        }
        var newLine = name + ": " + value + "\n";
        var prefix = name + ":";
        var start = 0;
        while (start < Text.Length)
        {
            var end = Text.IndexOf('\n', start);
            var lineEnd = end < 0 ? Text.Length : end + 1;
            if (Text.AsSpan(start, lineEnd - start).StartsWith(prefix, StringComparison.Ordinal))
            {
                return Parse(string.Concat(Text.AsSpan(0, start), newLine, Text.AsSpan(lineEnd)), StoreDirectory);
            }
            start = lineEnd;
        }
        return Parse(Text + newLine, StoreDirectory);
    }

    /// <summary>Adds a signature line (e.g. NarSeed's own key) after the last existing one, or at the end.</summary>
    public NixNarInfo WithSignature(string signature)
    {
        NarInfoText.ValidateNewField("Sig", signature);
        if (Signatures.Contains(signature, StringComparer.Ordinal)) return this;
        var insertAt = Text.Length;
        for (var start = 0; start < Text.Length;)
        {
            var end = Text.IndexOf('\n', start);
            var lineEnd = end < 0 ? Text.Length : end + 1;
            if (Text.AsSpan(start).StartsWith("Sig:", StringComparison.Ordinal)) insertAt = lineEnd;
            start = lineEnd;
        }
        return Parse(Text.Insert(insertAt, "Sig: " + signature + "\n"), StoreDirectory);
    }

    /// <summary>Writes the fields in Nix's own order (<c>NarInfo::to_string</c>), then extra fields.</summary>
    public string ToCanonicalText()
    {
        var b = new StringBuilder(512);
        b.Append("StorePath: ").Append(StorePath.FullPath).Append('\n');
        b.Append("URL: ").Append(Url).Append('\n');
        b.Append("Compression: ").Append(Compression.ToName()).Append('\n');
        if (FileHash is not null) b.Append("FileHash: ").Append(FileHash.ToNix32String()).Append('\n');
        if (FileSize is { } fileSize) b.Append("FileSize: ").Append(fileSize).Append('\n');
        b.Append("NarHash: ").Append(NarHash.ToNix32String()).Append('\n');
        b.Append("NarSize: ").Append(NarSize).Append('\n');
        b.Append("References: ").AppendJoin(' ', References.Select(r => r.BaseName)).Append('\n');
        if (Deriver is not null) b.Append("Deriver: ").Append(Deriver.BaseName).Append('\n');
        foreach (var sig in Signatures) b.Append("Sig: ").Append(sig).Append('\n');
        if (ContentAddress is not null) b.Append("CA: ").Append(ContentAddress).Append('\n');
        foreach (var field in ExtraFields) b.Append(field.Name).Append(": ").Append(field.Value).Append('\n');
        return b.ToString();
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Text);
}
