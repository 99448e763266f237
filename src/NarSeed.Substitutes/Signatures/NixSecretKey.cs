using System.Text;

namespace NarSeed.Substitutes.Signatures;

/// <summary>A Nix secret key, <c>name:base64(64 bytes)</c>: libsodium's seed followed by the public key.</summary>
public sealed class NixSecretKey
{
    private readonly byte[] _key;

    public NixSecretKey(string name, ReadOnlySpan<byte> key)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A key needs a name.", nameof(name));
        if (key.Length != Libsodium.SecretKeyBytes) throw new ArgumentException("An Ed25519 secret key has 64 bytes.");
        Name = name;
        _key = key.ToArray();
    }

    public string Name { get; }

    public NixPublicKey PublicKey => new(Name, _key.AsSpan(32));

    /// <summary>A fresh key pair, as <c>nix key generate-secret --key-name NAME</c> makes.</summary>
    public static NixSecretKey Generate(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains(':') || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("A key name must be non-empty, without ':' or whitespace.", nameof(name));
        }
        var (_, secret) = Libsodium.GenerateKeyPair();
        return new NixSecretKey(name, secret);
    }

    public static NixSecretKey Parse(string text)
    {
        var (name, bytes) = NixKeyText.Split(text, Libsodium.SecretKeyBytes, "secret key");
        return new NixSecretKey(name, bytes);
    }

    /// <summary>Signs <paramref name="fingerprint"/>; returns the <c>Sig</c> value <c>name:base64</c>.</summary>
    public string Sign(string fingerprint) =>
        Name + ":" + Convert.ToBase64String(Libsodium.Sign(Encoding.UTF8.GetBytes(fingerprint), _key));

    public override string ToString() => Name + ":" + Convert.ToBase64String(_key);
}
