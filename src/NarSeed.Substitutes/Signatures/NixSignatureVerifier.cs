using NarSeed.Substitutes.NarInfo;

namespace NarSeed.Substitutes.Signatures;

/// <summary>
/// Checks a narinfo's <c>Sig</c> lines the way Nix does (local-keys.cc <c>verifyDetached</c>, path-info.cc
/// <c>checkSignatures</c>): look the key up by name; unknown names do not count; a trusted name whose signature is not
/// 64 bytes of valid base64 is invalid.
/// </summary>
public static class NixSignatureVerifier
{
    public static NixSignatureCheck Verify(NixNarInfo narInfo, IEnumerable<NixPublicKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(narInfo);
        var keys = new Dictionary<string, List<NixPublicKey>>(StringComparer.Ordinal);
        foreach (var key in trustedKeys)
        {
            if (!keys.TryGetValue(key.Name, out var list)) keys[key.Name] = list = [];
            list.Add(key);
        }
        var valid = new List<string>();
        var invalid = new List<string>();
        var untrusted = new List<string>();
        var fingerprint = narInfo.Fingerprint();
        foreach (var sig in narInfo.Signatures)
        {
            var colon = sig.IndexOf(':');
            var name = colon < 0 ? sig : sig[..colon];
            if (colon <= 0 || !keys.TryGetValue(name, out var candidates))
            {
                untrusted.Add(name);
                continue;
            }
            var bytes = TryDecode(sig.AsSpan(colon + 1));
            if (bytes is not null && candidates.Any(k => k.Verify(fingerprint, bytes)))
            {
                valid.Add(name);
            }
            else
            {
                invalid.Add(name);
            }
        }
        var verdict = valid.Count > 0 ? SignatureVerdict.Valid
            : invalid.Count > 0 ? SignatureVerdict.Invalid
            : untrusted.Count > 0 ? SignatureVerdict.Untrusted
            : SignatureVerdict.Unsigned;
        return new NixSignatureCheck(verdict, valid, invalid, untrusted);
    }

    private static byte[]? TryDecode(ReadOnlySpan<char> b64)
    {
        var buffer = new byte[b64.Length];
        return Convert.TryFromBase64Chars(b64, buffer, out var written) && written == Libsodium.SignatureBytes
            ? buffer[..written]
            : null;
    }
}
