using System.Security.Cryptography;

namespace NarSeed.Substitutes.StorePaths;

/// <summary>
/// A typed hash as Nix writes it: <c>algo:digest</c> where the digest is base16, nix32 or base64 (told apart by
/// length, as <c>Hash::parseAnyPrefixed</c> does), or SRI <c>algo-base64</c>.
/// </summary>
public sealed class NixHash : IEquatable<NixHash>
{
    private readonly byte[] _digest;

    public NixHash(HashAlgorithmKind algorithm, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestLength(algorithm))
        {
            throw new ArgumentException($"A {algorithm} digest has {DigestLength(algorithm)} bytes, not {digest.Length}.");
        }
        Algorithm = algorithm;
        _digest = digest.ToArray();
    }

    public HashAlgorithmKind Algorithm { get; }

    public ReadOnlySpan<byte> Digest => _digest;

    public static int DigestLength(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Md5 => 16,
        HashAlgorithmKind.Sha1 => 20,
        HashAlgorithmKind.Sha256 => 32,
        HashAlgorithmKind.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static string AlgorithmName(HashAlgorithmKind algorithm) => algorithm switch
    {
        HashAlgorithmKind.Md5 => "md5",
        HashAlgorithmKind.Sha1 => "sha1",
        HashAlgorithmKind.Sha256 => "sha256",
        HashAlgorithmKind.Sha512 => "sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static bool TryParseAlgorithm(ReadOnlySpan<char> name, out HashAlgorithmKind algorithm)
    {
        switch (name)
        {
            case "md5": algorithm = HashAlgorithmKind.Md5; return true;
            case "sha1": algorithm = HashAlgorithmKind.Sha1; return true;
            case "sha256": algorithm = HashAlgorithmKind.Sha256; return true;
            case "sha512": algorithm = HashAlgorithmKind.Sha512; return true;
            default: algorithm = default; return false;
        }
    }

    /// <summary>Parses <c>algo:digest</c> (base16, nix32 or base64) or SRI <c>algo-base64</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NixHash? hash)
    {
        hash = null;
        var sep = text.IndexOfAny(':', '-');
        if (sep <= 0 || !TryParseAlgorithm(text[..sep], out var algorithm)) return false;
        var body = text[(sep + 1)..];
        var size = DigestLength(algorithm);
        var digest = new byte[size];
        if (text[sep] == '-')
        {
            // SRI: always base64.
            return TryBase64(body, digest, algorithm, out hash);
        }
        if (body.Length == size * 2)
        {
            if (!IsHex(body)) return false;
            Convert.FromHexString(body, digest, out _, out _);
            hash = new NixHash(algorithm, digest);
            return true;
        }
        if (body.Length == Nix32.EncodedLength(size))
        {
            if (!Nix32.TryDecode(body, digest)) return false;
            hash = new NixHash(algorithm, digest);
            return true;
        }
        return TryBase64(body, digest, algorithm, out hash);
    }

    public static NixHash Parse(string text) =>
        TryParse(text, out var hash) ? hash! : throw new FormatException($"Not a Nix hash: '{text}'.");

    public static NixHash Sha256(ReadOnlySpan<byte> data) => new(HashAlgorithmKind.Sha256, SHA256.HashData(data));

    /// <summary><c>sha256:&lt;nix32&gt;</c>, the form Nix writes and fingerprints.</summary>
    public string ToNix32String() => AlgorithmName(Algorithm) + ":" + Nix32.Encode(_digest);

    public string ToBase16String() => AlgorithmName(Algorithm) + ":" + Convert.ToHexStringLower(_digest);

    public string ToSriString() => AlgorithmName(Algorithm) + "-" + Convert.ToBase64String(_digest);

    public override string ToString() => ToNix32String();

    public bool Equals(NixHash? other) =>
        other is not null && other.Algorithm == Algorithm && other._digest.AsSpan().SequenceEqual(_digest);

    public override bool Equals(object? obj) => Equals(obj as NixHash);

    public override int GetHashCode() => HashCode.Combine(Algorithm, BitConverter.ToInt32(_digest, 0));

    private static bool TryBase64(ReadOnlySpan<char> body, byte[] digest, HashAlgorithmKind algorithm, out NixHash? hash)
    {
        hash = null;
        if (body.Length != (digest.Length + 2) / 3 * 4) return false;
        var buffer = new byte[body.Length];
        if (!Convert.TryFromBase64Chars(body, buffer, out var written) || written != digest.Length) return false;
        hash = new NixHash(algorithm, buffer.AsSpan(0, written));
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }
}
