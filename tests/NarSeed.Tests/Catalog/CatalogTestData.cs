using System.Text;
using NarSeed.Catalog;

namespace NarSeed.Tests.Catalog;

/// <summary>Synthetic store paths for catalog and GC tests: valid nix32 hash parts derived from a number.</summary>
internal static class CatalogTestData
{
    private const string Nix32 = "0123456789abcdfghijklmnpqrsvwxyz";

    public static string Hash(int n)
    {
        var chars = new char[StorePathText.HashPartLength];
        var value = (ulong)n * 2654435761UL + 12345;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Nix32[(int)(value % 32)];
            value = value / 32 + (ulong)(i * 7 + n);
        }
        return new string(chars);
    }

    public static string StorePath(int n) => $"/nix/store/{Hash(n)}-pkg-{n}";

    public static StorePathRecord Path(int n, params int[] references) =>
        new(Hash(n), StorePath(n), Encoding.UTF8.GetBytes($"StorePath: {StorePath(n)}\nNarHash: sha256:x{n}\n"),
            $"sha256:nar{n}", 1000 + n, $"/nix/store/{Hash(n + 100000)}-pkg-{n}.drv", "https://cache.example",
            references.Select(Hash).ToList());

    public static NarFileRecord Nar(int n, long fileSize = 100, NarState state = NarState.Ready) =>
        new(Hash(n), $"nar/file{n}.nar.xz", $"https://cache.example/nar/file{n}.nar.xz", "xz", $"sha256:file{n}",
            fileSize, $"file{n}.nar.xz", state);

    public static Task<NarCatalog> OpenAsync(string directory, TimeProvider? time = null) =>
        NarCatalog.OpenAsync(System.IO.Path.Combine(directory, NarCatalog.FileName), time ?? TimeProvider.System,
            CancellationToken.None);

    /// <summary>Records a store path and a ready nar whose file really exists in <paramref name="store"/>.</summary>
    public static async Task<long> AddStoredNarAsync(
        NarCatalog catalog, NarStore store, int n, long fileSize, params int[] references)
    {
        await catalog.AddStorePathAsync(Path(n, references), CancellationToken.None);
        await using (var pending = store.CreatePending($"file{n}.nar.xz"))
        {
            await pending.Stream.WriteAsync(new byte[fileSize]);
            await pending.CommitAsync(CancellationToken.None);
        }
        return await catalog.AddNarAsync(Nar(n, fileSize), CancellationToken.None);
    }
}
