namespace NarSeed.Substitutes.NarInfo;

public sealed partial class GuixNarInfo
{
    /// <summary>True when a <c>URL:</c> line lies in the signed part (the older layout): its URL groups cannot change.</summary>
    public bool HasSignedUrls =>
        SignedPart.StartsWith("URL:", StringComparison.Ordinal) || SignedPart.Contains("\nURL:", StringComparison.Ordinal);

    /// <summary>
    /// The same narinfo with its unsigned URL groups after <c>Signature:</c> replaced by the single group given; the
    /// signed part and the signature line stay byte for byte, NarSeed's fields after them are dropped. Unsigned
    /// narinfos and the older layout (signed URLs) come back unchanged.
    /// </summary>
    public GuixNarInfo WithOnlyEntry(string url, string compression, long? fileSize)
    {
        if (SignatureValue is null || HasSignedUrls) return this;
        var lineEnd = Text.IndexOf('\n', SignedPart.Length);
        var signature = lineEnd < 0 ? Text + "\n" : Text[..(lineEnd + 1)];
        NarInfoText.ValidateNewField("URL", url);
        NarInfoText.ValidateNewField("Compression", compression);
        var size = fileSize is { } n ? $"FileSize: {n}\n" : "";
        return Parse($"{signature}URL: {url}\nCompression: {compression}\n{size}", StorePath.StoreDirectory);
    }
}
