namespace NarSeed.Substitutes.StorePaths;

/// <summary>Hash algorithms Nix names in narinfos and content addresses (src/libutil/hash.cc).</summary>
public enum HashAlgorithmKind
{
    Md5,
    Sha1,
    Sha256,
    Sha512,
}
