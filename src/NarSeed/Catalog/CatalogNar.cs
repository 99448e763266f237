namespace NarSeed.Catalog;

/// <summary>A nar as the GC and the seeding service see it: identity, file, size and how often it was asked for.</summary>
public sealed record CatalogNar(
    long NarId,
    string HashPart,
    string StorePath,
    string LocalPath,
    long FileSize,
    NarState State,
    long Requests);
