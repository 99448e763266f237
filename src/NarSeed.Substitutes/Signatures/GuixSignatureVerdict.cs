namespace NarSeed.Substitutes.Signatures;

/// <summary>Guix's signature outcomes (guix/pki.scm, guix/narinfo.scm <c>%signature-status</c>), plus Unsigned.</summary>
public enum GuixSignatureVerdict
{
    Valid,
    Invalid,
    HashMismatch,
    UnauthorizedKey,
    Corrupt,
    Unsigned,
}
