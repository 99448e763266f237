namespace NarSeed.Substitutes.StorePaths;

/// <summary>
/// A store path <c>&lt;storeDir&gt;/&lt;32 nix32 chars&gt;-&lt;name&gt;</c> for any store directory (/nix/store, /gnu/store, …).
/// Rules from NixOS/nix src/libstore/path.cc (<c>checkName</c>, <c>StorePath</c> constructor).
/// </summary>
public sealed record StorePath
{
    /// <summary>Characters in the hash part: 160 bits in nix32 (path.cc <c>HashLen</c>).</summary>
    public const int HashPartLength = 32;

    /// <summary>Longest name Nix accepts (path.cc <c>checkName</c>: "name is longer than 211 characters").</summary>
    public const int MaxNameLength = 211;

    /// <summary>The default Nix store directory.</summary>
    public const string NixStoreDirectory = "/nix/store";

    /// <summary>The default Guix store directory.</summary>
    public const string GuixStoreDirectory = "/gnu/store";

    private StorePath(string storeDirectory, string hashPart, string name)
    {
        StoreDirectory = storeDirectory;
        HashPart = hashPart;
        Name = name;
    }

    public string StoreDirectory { get; }

    /// <summary>The 32 nix32 characters after the store directory.</summary>
    public string HashPart { get; }

    public string Name { get; }

    /// <summary><c>hash-name</c>, the form narinfo References use.</summary>
    public string BaseName => HashPart + "-" + Name;

    public string FullPath => StoreDirectory + "/" + BaseName;

    public override string ToString() => FullPath;

    /// <summary>Parses a full path; when <paramref name="storeDirectory"/> is null, the directory is everything before the last '/'.</summary>
    public static StorePath Parse(string fullPath, string? storeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var slash = fullPath.LastIndexOf('/');
        string dir;
        if (storeDirectory is not null)
        {
            ValidateStoreDirectory(storeDirectory);
            if (slash != storeDirectory.Length || !fullPath.StartsWith(storeDirectory, StringComparison.Ordinal))
            {
                throw new StorePathException(StorePathErrorReason.NotInStoreDirectory, fullPath, 0);
            }
            dir = storeDirectory;
        }
        else
        {
            if (slash <= 0) throw new StorePathException(StorePathErrorReason.NotInStoreDirectory, fullPath, 0);
            dir = fullPath[..slash];
            ValidateStoreDirectory(dir);
        }
        return FromBaseName(dir, fullPath[(slash + 1)..], slash + 1, fullPath);
    }

    /// <summary>Parses <c>hash-name</c> under <paramref name="storeDirectory"/>.</summary>
    public static StorePath FromBaseName(string storeDirectory, string baseName)
    {
        ValidateStoreDirectory(storeDirectory);
        return FromBaseName(storeDirectory, baseName, 0, baseName);
    }

    public static bool TryParse(string fullPath, string? storeDirectory, out StorePath? path)
    {
        try
        {
            path = Parse(fullPath, storeDirectory);
            return true;
        }
        catch (StorePathException)
        {
            path = null;
            return false;
        }
    }

    /// <summary>Checks a name by Nix's rules: 1–211 characters of [A-Za-z0-9+-._?=], not starting with '.'.</summary>
    public static void ValidateName(string name, int offset = 0, string? input = null)
    {
        input ??= name;
        if (name.Length == 0) throw new StorePathException(StorePathErrorReason.EmptyName, input, offset);
        if (name.Length > MaxNameLength) throw new StorePathException(StorePathErrorReason.NameTooLong, input, offset);
        // Newer Nix (path.cc, 2.24+) also rejects a leading '.', which would make "." and ".." names possible.
        if (name[0] == '.') throw new StorePathException(StorePathErrorReason.NameStartsWithDot, input, offset);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                || c is '+' or '-' or '.' or '_' or '?' or '=';
            if (!ok) throw new StorePathException(StorePathErrorReason.BadNameCharacter, input, offset + i);
        }
    }

    private static StorePath FromBaseName(string dir, string baseName, int offset, string input)
    {
        if (baseName.Length < HashPartLength + 2)
        {
            throw new StorePathException(StorePathErrorReason.TooShort, input, offset);
        }
        var hash = baseName[..HashPartLength];
        if (!Nix32.IsValid(hash)) throw new StorePathException(StorePathErrorReason.BadHashPart, input, offset);
        if (baseName[HashPartLength] != '-')
        {
            throw new StorePathException(StorePathErrorReason.MissingDash, input, offset + HashPartLength);
        }
        var name = baseName[(HashPartLength + 1)..];
        ValidateName(name, offset + HashPartLength + 1, input);
        return new StorePath(dir, hash, name);
    }

    private static void ValidateStoreDirectory(string dir)
    {
        if (dir.Length < 2 || dir[0] != '/' || dir[^1] == '/' || dir.Contains("//", StringComparison.Ordinal)
            || dir.Contains('\n') || dir.Contains(' '))
        {
            throw new StorePathException(StorePathErrorReason.BadStoreDirectory, dir, 0);
        }
    }
}
