using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Signatures;

/// <summary>
/// The libgcrypt calls Guix signature verification needs (libgcrypt.so.20): parse canonical s-expressions and
/// <c>gcry_pk_verify</c>. For an ECC key on curve Ed25519 without <c>(flags eddsa)</c> libgcrypt runs ECDSA, as Guix does.
/// </summary>
internal static unsafe partial class Libgcrypt
{
    private const string Library = "libgcrypt.so.20";

    /// <summary>gcrypt.h enum gcry_ctl_cmds.</summary>
    private const int GcryCtlDisableSecmem = 37;

    private const int GcryCtlInitializationFinished = 38;

    private static readonly Lazy<bool> Initialized = new(() =>
    {
        NativeLibraryCheck.Require(Library, "libgcrypt20", "Guix signatures");
        if (gcry_check_version(null) == null) throw new InvalidOperationException("gcry_check_version failed.");
        gcry_control(GcryCtlDisableSecmem, 0);
        gcry_control(GcryCtlInitializationFinished, 0);
        return true;
    });

    /// <summary>True when libgcrypt accepts <paramref name="signature"/> over <paramref name="data"/> for <paramref name="publicKey"/> (all canonical sexps).</summary>
    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> data, ReadOnlySpan<byte> publicKey)
    {
        _ = Initialized.Value;
        nint sig = 0, dat = 0, key = 0;
        try
        {
            if (!Scan(signature, out sig) || !Scan(data, out dat) || !Scan(publicKey, out key)) return false;
            return gcry_pk_verify(sig, dat, key) == 0;
        }
        finally
        {
            if (sig != 0) gcry_sexp_release(sig);
            if (dat != 0) gcry_sexp_release(dat);
            if (key != 0) gcry_sexp_release(key);
        }
    }

    private static bool Scan(ReadOnlySpan<byte> canonical, out nint sexp)
    {
        fixed (byte* p = canonical)
        {
            nuint errorOffset;
            nint result;
            var error = gcry_sexp_sscan(&result, &errorOffset, p, (nuint)canonical.Length);
            sexp = error == 0 ? result : 0;
            return error == 0;
        }
    }

    [LibraryImport(Library)]
    private static partial byte* gcry_check_version(byte* required);

    [LibraryImport(Library)]
    private static partial uint gcry_control(int command, int argument);

    [LibraryImport(Library)]
    private static partial uint gcry_sexp_sscan(nint* result, nuint* errorOffset, byte* buffer, nuint length);

    [LibraryImport(Library)]
    private static partial uint gcry_pk_verify(nint signature, nint data, nint publicKey);

    [LibraryImport(Library)]
    private static partial void gcry_sexp_release(nint sexp);
}
