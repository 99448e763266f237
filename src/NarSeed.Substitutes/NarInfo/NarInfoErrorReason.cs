namespace NarSeed.Substitutes.NarInfo;

/// <summary>Why a narinfo (Nix or Guix dialect) or nix-cache-info was rejected.</summary>
public enum NarInfoErrorReason
{
    TooLarge,
    InvalidUtf8,
    MissingNewline,
    MissingColon,
    MissingSpaceAfterColon,
    BadFieldName,
    UnmatchedLine,
    DuplicateField,
    MissingField,
    BadStorePath,
    StorePathOutsideStore,
    BadReference,
    TooManyReferences,
    BadDeriver,
    BadHash,
    BadNumber,
    ZeroNarSize,
    UnknownCompression,
    BadContentAddress,
    TooManySignatures,
    TooManyFields,
    MismatchedGroups,
}
