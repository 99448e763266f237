namespace NarSeed.Substitutes;

/// <summary>Names this assembly for reflection (the layering test) without depending on any of its types.</summary>
public static class AssemblyMarker;
