namespace NarSeed.Hosting;

/// <summary>Which substitute ecosystem the node serves: it decides the store directory and the narinfo dialect.</summary>
public enum StoreDialect
{
    /// <summary>Nix: /nix/store, Ed25519 <c>Sig:</c> lines.</summary>
    Nix,

    /// <summary>Guix: /gnu/store, a canonical-sexp signature.</summary>
    Guix,
}
