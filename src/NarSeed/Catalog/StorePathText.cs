namespace NarSeed.Catalog;

/// <summary>
/// The little the catalog needs to know about store path text: split <c>/nix/store/&lt;hash&gt;-&lt;name&gt;</c> into its
/// hash part, checked against Nix's alphabet. Full store path parsing (names, store directories, dialects) is
/// NarSeed.Substitutes' job; the app switches to it once that library lands.
/// </summary>
public static class StorePathText
{
    /// <summary>Length of a store path's hash part: 160 bits in nix32 (Nix: StorePath::HashLen).</summary>
    public const int HashPartLength = 32;

    /// <summary>Longest store path name Nix accepts (Nix: StorePath::MaxPathLen minus the hash and dash).</summary>
    public const int MaxNameLength = 211;

    // nix32 leaves out e, o, t and u (Nix: libutil/hash.cc, base32Chars).
    private const string Nix32Alphabet = "0123456789abcdfghijklmnpqrsvwxyz";

    public static bool IsHashPart(ReadOnlySpan<char> text)
    {
        if (text.Length != HashPartLength)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!Nix32Alphabet.Contains(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Splits an absolute store path into its hash part; false when it is not one.</summary>
    public static bool TryGetHashPart(string storePath, out string hashPart)
    {
        hashPart = "";
        var slash = storePath.LastIndexOf('/');
        if (slash <= 0 || !storePath.StartsWith('/'))
        {
            return false;
        }
        var baseName = storePath.AsSpan(slash + 1);
        if (baseName.Length < HashPartLength + 2 || baseName[HashPartLength] != '-' ||
            !IsHashPart(baseName[..HashPartLength]))
        {
            return false;
        }
        var name = baseName[(HashPartLength + 1)..];
        if (name.Length > MaxNameLength || name[0] == '.')
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "+-._?=".Contains(c)))
            {
                return false;
            }
        }
        hashPart = baseName[..HashPartLength].ToString();
        return true;
    }
}
