namespace NarSeed.Substitutes.Signatures;

/// <summary>What <see cref="NixSignatureVerifier"/> found: the verdict and the key names behind it.</summary>
public sealed record NixSignatureCheck(
    SignatureVerdict Verdict,
    IReadOnlyList<string> ValidKeyNames,
    IReadOnlyList<string> InvalidKeyNames,
    IReadOnlyList<string> UntrustedKeyNames);
