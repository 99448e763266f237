namespace NarSeed.Catalog;

/// <summary>A GC root: a store path whose closure the node keeps.</summary>
public sealed record RootRecord(string Path, string HashPart, RootSource Source, DateTimeOffset AddedAt);
