namespace NarSeed.Substitutes.StorePaths;

/// <summary>Why a store path was rejected (Nix: src/libstore/path.cc, store-api.cc).</summary>
public enum StorePathErrorReason
{
    NotInStoreDirectory,
    TooShort,
    BadHashPart,
    MissingDash,
    EmptyName,
    NameTooLong,
    BadNameCharacter,
    NameStartsWithDot,
    BadStoreDirectory,
}
