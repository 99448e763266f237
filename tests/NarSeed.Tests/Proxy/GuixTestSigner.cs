using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// Signs a Guix narinfo as `guix publish` does (guix/pki.scm: ECDSA over Ed25519 with rfc6979 over the sha256 of the
/// bytes before <c>Signature:</c>), with a key freshly made by the system's libgcrypt through Python ctypes:
/// NarSeed.Substitutes can only verify Guix signatures, and the test must not sign with NarSeed's own code.
/// </summary>
public static class GuixTestSigner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // Reads the signed part on stdin; prints the public key (one line) and then the narinfo with its Signature line.
    private const string Script = """
        import ctypes, hashlib, base64, sys
        g = ctypes.CDLL("libgcrypt.so.20")
        g.gcry_check_version.restype = ctypes.c_char_p
        g.gcry_check_version(None)
        g.gcry_sexp_find_token.restype = ctypes.c_void_p
        g.gcry_sexp_find_token.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        g.gcry_sexp_sprint.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
        g.gcry_sexp_sprint.restype = ctypes.c_size_t
        def scan(text):
            s = ctypes.c_void_p(); b = text.encode()
            assert g.gcry_sexp_sscan(ctypes.byref(s), None, b, ctypes.c_size_t(len(b))) == 0
            return s.value
        def show(s):  # GCRYSEXP_FMT_ADVANCED (3), as guile-gcrypt's canonical-sexp->string
            n = g.gcry_sexp_sprint(s, 3, None, 0); buf = ctypes.create_string_buffer(n)
            g.gcry_sexp_sprint(s, 3, buf, n); return buf.raw[:n].rstrip(b"\0").decode()
        key = ctypes.c_void_p()
        assert g.gcry_pk_genkey(ctypes.byref(key), ctypes.c_void_p(scan("(genkey (ecdsa (curve Ed25519) (flags rfc6979)))"))) == 0
        pub = g.gcry_sexp_find_token(key.value, b"public-key", 0)
        sec = g.gcry_sexp_find_token(key.value, b"private-key", 0)
        signed = sys.stdin.read()
        data = scan("(data (flags rfc6979) (hash sha256 #%s#))" % hashlib.sha256(signed.encode()).hexdigest().upper())
        sig = ctypes.c_void_p()
        assert g.gcry_pk_sign(ctypes.byref(sig), ctypes.c_void_p(data), ctypes.c_void_p(sec)) == 0
        whole = scan("(signature %s %s %s)" % (show(data), show(sig.value), show(pub)))
        print(show(pub).replace("\n", " "))
        print(signed + "Signature: 1;narseed-test;" + base64.b64encode(show(whole).encode()).decode())
        """;

    /// <summary>Signs <paramref name="signedPart"/>; returns the fresh public key and the narinfo up to its Signature line.</summary>
    public static async Task<(string PublicKey, string NarInfo)> SignAsync(string signedPart)
    {
        var result = (await ProcessRunner.RunAsync(ExternalTool.Require(ExternalTool.DebianPython), ["-c", Script],
            Timeout, standardInput: signedPart)).EnsureSuccess("libgcrypt signer");
        var newline = result.StandardOutput.IndexOf('\n');
        return (result.StandardOutput[..newline].Trim(), result.StandardOutput[(newline + 1)..]);
    }
}
