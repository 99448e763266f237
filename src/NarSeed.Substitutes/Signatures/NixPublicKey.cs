namespace NarSeed.Substitutes.Signatures;

/// <summary>A Nix public key, <c>name:base64(32 bytes)</c> (local-keys.cc <c>PublicKey</c>).</summary>
public sealed class NixPublicKey
{
    private readonly byte[] _key;

    public NixPublicKey(string name, ReadOnlySpan<byte> key)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A key needs a name.", nameof(name));
        if (key.Length != Libsodium.PublicKeyBytes) throw new ArgumentException("An Ed25519 public key has 32 bytes.");
        Name = name;
        _key = key.ToArray();
    }

    public string Name { get; }

    public ReadOnlySpan<byte> Key => _key;

    public static NixPublicKey Parse(string text)
    {
        var (name, bytes) = NixKeyText.Split(text, Libsodium.PublicKeyBytes, "public key");
        return new NixPublicKey(name, bytes);
    }

    /// <summary>Ed25519 verification of <paramref name="signature"/> over the UTF-8 bytes of <paramref name="message"/>.</summary>
    public bool Verify(string message, ReadOnlySpan<byte> signature) =>
        Libsodium.Verify(signature, System.Text.Encoding.UTF8.GetBytes(message), _key);

    public override string ToString() => Name + ":" + Convert.ToBase64String(_key);
}
