namespace NarSeed.Substitutes.NarInfo;

/// <summary>One <c>Name: value</c> line of a narinfo, as written.</summary>
public readonly record struct NarInfoField(string Name, string Value, int Line);
