using System.Runtime.InteropServices;

namespace NarSeed.Substitutes;

/// <summary>Loads a native library once and turns "not found" into an error that says which Debian package provides it.</summary>
internal static class NativeLibraryCheck
{
    private static readonly Dictionary<string, bool> Loaded = new(StringComparer.Ordinal);

    public static void Require(string soname, string debianPackage, string purpose)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(soname, out var ok) && ok) return;
            ok = NativeLibrary.TryLoad(soname, typeof(NativeLibraryCheck).Assembly, null, out _);
            Loaded[soname] = ok;
            if (!ok)
            {
                throw new DllNotFoundException(
                    $"{soname} is needed for {purpose} but could not be loaded. Install the Debian package " +
                    $"'{debianPackage}' (scripts/install-deps.sh does).");
            }
        }
    }
}
