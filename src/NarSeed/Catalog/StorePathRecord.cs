namespace NarSeed.Catalog;

/// <summary>
/// A store path as the catalog keeps it: the origin's narinfo bytes untouched, the fields the node looks at, and the
/// hash parts of its references (self-references included, as in the narinfo).
/// </summary>
public sealed record StorePathRecord(
    string HashPart,
    string Path,
    ReadOnlyMemory<byte> NarInfo,
    string NarHash,
    long NarSize,
    string? Deriver,
    string Origin,
    IReadOnlyList<string> References);
