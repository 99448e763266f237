namespace NarSeed.Substitutes.Tests;

/// <summary>The real narinfos under Vectors/ (see Vectors/README.md for their sources).</summary>
internal static class VectorFiles
{
    public const string CacheNixosOrgKey = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";
    public const string NixCommunityKey = "nix-community.cachix.org-1:mB9FSh9qf2dCimDSUo8Zy7bkq5CX+/rkCWyvRCYg3Fs=";

    /// <summary>bordeaux.guix.gnu.org signing key (substitutes.md §3.2).</summary>
    public const string BordeauxKey =
        "(public-key (ecc (curve Ed25519) (q #7D602902D3A2DBB83F8A0FB98602A754C5493B0B778C8D1DD4E0F41DE14DE34F#)))";

    /// <summary>ci.guix.gnu.org / berlin signing key (substitutes.md §3.2).</summary>
    public const string BerlinKey =
        "(public-key (ecc (curve Ed25519) (q #8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394#)))";

    public static string Read(string id) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", id + ".narinfo"));

    public static IEnumerable<object[]> NixIds() =>
        new[] { "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "D1", "T1", "R1" }.Select(i => new object[] { i });

    public static IEnumerable<object[]> GuixIds() => new[] { "G1", "G2", "G3", "G4" }.Select(i => new object[] { i });

    public static string KeyFor(string id) => id == "N9" ? NixCommunityKey : CacheNixosOrgKey;
}
