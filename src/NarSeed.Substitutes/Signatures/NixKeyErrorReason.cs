namespace NarSeed.Substitutes.Signatures;

/// <summary>Why a Nix key or signature in <c>name:base64</c> form was rejected.</summary>
public enum NixKeyErrorReason
{
    MissingColon,
    EmptyName,
    BadBase64,
    WrongLength,
}
