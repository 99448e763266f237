namespace NarSeed.Substitutes.NarInfo;

/// <summary>Bounds on narinfo input. Nix itself has none; these are NarSeed's, far above anything real caches serve.</summary>
public sealed record NarInfoLimits
{
    /// <summary>
    /// NarSeed choice: real narinfos are a few hundred bytes to tens of KiB (vectors in substitutes.md §1.6, §3.3);
    /// 1 MiB leaves room for paths with thousands of references.
    /// </summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    /// <summary>NarSeed choice: far above the largest reference lists of nixpkgs closures (hundreds).</summary>
    public const int DefaultMaxReferences = 16 * 1024;

    /// <summary>NarSeed choice: Nix keeps signatures in a set with no bound; real narinfos carry one to three.</summary>
    public const int DefaultMaxSignatures = 64;

    /// <summary>NarSeed choice: unknown fields kept verbatim (Nix ignores them, nar-info.cc).</summary>
    public const int DefaultMaxExtraFields = 64;

    /// <summary>NarSeed choice: Guix narinfos carry one URL group per compression (guix publish offers 4).</summary>
    public const int DefaultMaxGuixUrlGroups = 16;

    public static NarInfoLimits Default { get; } = new();

    public int MaxBytes { get; init; } = DefaultMaxBytes;

    public int MaxReferences { get; init; } = DefaultMaxReferences;

    public int MaxSignatures { get; init; } = DefaultMaxSignatures;

    public int MaxExtraFields { get; init; } = DefaultMaxExtraFields;

    public int MaxGuixUrlGroups { get; init; } = DefaultMaxGuixUrlGroups;
}
