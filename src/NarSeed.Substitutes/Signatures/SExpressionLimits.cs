namespace NarSeed.Substitutes.Signatures;

/// <summary>Bounds on s-expression input (signatures and keys are a few hundred bytes, nesting depth 4).</summary>
public sealed record SExpressionLimits
{
    /// <summary>NarSeed choice: a Guix signature sexp is about 450 bytes, an RSA-4096 one under 2 KiB; ACL files hold a few keys.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    /// <summary>NarSeed choice: signature sexps nest 4 deep (signature → sig-val → ecdsa → r); ACLs 5.</summary>
    public const int DefaultMaxDepth = 16;

    /// <summary>NarSeed choice: a signature has about 20 nodes.</summary>
    public const int DefaultMaxNodes = 4096;

    public static SExpressionLimits Default { get; } = new();

    public int MaxBytes { get; init; } = DefaultMaxBytes;

    public int MaxDepth { get; init; } = DefaultMaxDepth;

    public int MaxNodes { get; init; } = DefaultMaxNodes;
}
