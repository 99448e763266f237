using System.Security.Cryptography;
using System.Text;
using NarSeed.Substitutes.NarInfo;

namespace NarSeed.Substitutes.Signatures;

/// <summary>
/// Verifies a Guix narinfo signature (substitutes.md §3.2): SHA-256 of the bytes before <c>Signature:</c>; the field is
/// <c>1;host;base64(sexp)</c>; the embedded key must be trusted; the sexp's data hash must equal ours; then libgcrypt's
/// ECDSA over the Ed25519 curve (digest shifted to the group order by libgcrypt) — not EdDSA.
/// </summary>
public static class GuixSignatureVerifier
{
    public static GuixSignatureVerdict Verify(GuixNarInfo narInfo, IEnumerable<GuixPublicKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(narInfo);
        if (narInfo.SignatureValue is null) return GuixSignatureVerdict.Unsigned;
        if (!narInfo.SignedPartHasRequiredFields) return GuixSignatureVerdict.Unsigned;
        SExpression signature;
        try
        {
            signature = ParseSignatureField(narInfo.SignatureValue);
        }
        catch (FormatException)
        {
            return GuixSignatureVerdict.Corrupt;
        }
        var publicKey = signature.Find("public-key");
        var data = signature.Find("data");
        var sigVal = signature.Find("sig-val");
        if (publicKey is null || data is null || sigVal is null) return GuixSignatureVerdict.Corrupt;
        if (!trustedKeys.Any(k => k.SameKeyAs(publicKey))) return GuixSignatureVerdict.UnauthorizedKey;

        var hash = data.Find("hash");
        if (hash is not { Items.Count: 3 } || hash.Items[1].AtomText != "sha256" || !hash.Items[2].IsAtom)
        {
            return GuixSignatureVerdict.Corrupt;
        }
        var ours = SHA256.HashData(Encoding.UTF8.GetBytes(narInfo.SignedPart));
        if (!hash.Items[2].Atom.SequenceEqual(ours)) return GuixSignatureVerdict.HashMismatch;

        // Rebuild the data from our own digest, with the flags guile-gcrypt uses (pk-crypto.scm
        // bytevector->hash-data): rfc6979 for ECC keys, pkcs1 for the old RSA keys (the RSA path has no real vector here).
        var flags = publicKey.Find("rsa") is not null ? "pkcs1" : "rfc6979";
        var ourData = SExpression.FromList(
            SExpression.FromAtom("data"),
            SExpression.FromList(SExpression.FromAtom("flags"), SExpression.FromAtom(flags)),
            SExpression.FromList(SExpression.FromAtom("hash"), SExpression.FromAtom("sha256"), SExpression.FromAtom(ours)));
        return Libgcrypt.Verify(sigVal.ToCanonical(), ourData.ToCanonical(), publicKey.ToCanonical())
            ? GuixSignatureVerdict.Valid
            : GuixSignatureVerdict.Invalid;
    }

    /// <summary>Decodes <c>1;host;base64</c> into the <c>(signature …)</c> s-expression.</summary>
    public static SExpression ParseSignatureField(string value)
    {
        var parts = value.Split(';', 3);
        if (parts.Length != 3 || parts[0] != "1")
        {
            throw new SExpressionFormatException(SExpressionErrorReason.UnexpectedCharacter, 0, "not '1;host;base64'.");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(parts[2].Trim());
        }
        catch (FormatException)
        {
            throw new SExpressionFormatException(SExpressionErrorReason.BadBase64, 0, "signature is not base64.");
        }
        var sexp = SExpression.Parse(bytes);
        if (sexp.Head != "signature") throw new SExpressionFormatException(SExpressionErrorReason.UnexpectedCharacter, 0, "not (signature …).");
        return sexp;
    }
}
