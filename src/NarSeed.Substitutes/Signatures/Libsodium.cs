using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Signatures;

/// <summary>The few libsodium calls Nix signatures need (Ed25519, RFC 8032), bound from libsodium.so.23.</summary>
internal static unsafe partial class Libsodium
{
    private const string Library = "libsodium.so.23";

    /// <summary>crypto_sign_BYTES.</summary>
    public const int SignatureBytes = 64;

    /// <summary>crypto_sign_PUBLICKEYBYTES.</summary>
    public const int PublicKeyBytes = 32;

    /// <summary>crypto_sign_SECRETKEYBYTES: 32-byte seed then the 32-byte public key.</summary>
    public const int SecretKeyBytes = 64;

    private static readonly Lazy<bool> Initialized = new(() =>
    {
        NativeLibraryCheck.Require(Library, "libsodium23", "Nix Ed25519 signatures");
        if (sodium_init() < 0) throw new InvalidOperationException("sodium_init failed.");
        return true;
    });

    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != SignatureBytes || publicKey.Length != PublicKeyBytes) return false;
        _ = Initialized.Value;
        fixed (byte* s = signature)
        fixed (byte* m = message)
        fixed (byte* k = publicKey)
        {
            return crypto_sign_verify_detached(s, m, (ulong)message.Length, k) == 0;
        }
    }

    public static byte[] Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != SecretKeyBytes) throw new ArgumentException("An Ed25519 secret key has 64 bytes.");
        _ = Initialized.Value;
        var signature = new byte[SignatureBytes];
        fixed (byte* s = signature)
        fixed (byte* m = message)
        fixed (byte* k = secretKey)
        {
            ulong length;
            if (crypto_sign_detached(s, &length, m, (ulong)message.Length, k) != 0)
            {
                throw new InvalidOperationException("crypto_sign_detached failed.");
            }
        }
        return signature;
    }

    public static (byte[] PublicKey, byte[] SecretKey) GenerateKeyPair()
    {
        _ = Initialized.Value;
        var pk = new byte[PublicKeyBytes];
        var sk = new byte[SecretKeyBytes];
        fixed (byte* p = pk)
        fixed (byte* s = sk)
        {
            if (crypto_sign_keypair(p, s) != 0) throw new InvalidOperationException("crypto_sign_keypair failed.");
        }
        return (pk, sk);
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    private static partial int crypto_sign_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);

    [LibraryImport(Library)]
    private static partial int crypto_sign_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(Library)]
    private static partial int crypto_sign_keypair(byte* pk, byte* sk);
}
