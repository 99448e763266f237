using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// GC over a synthetic catalog (issue 6: 1,000,000 paths and 5,000,000 references, goal ≤ 10 s). Paths fall in two
/// disjoint graphs, each path referring to five earlier paths of its own graph: 80 % is where the roots are, the
/// other 20 % from none; 1 % of the paths are roots. Measured: the first pass (closure + retiring 20 %), a steady-state pass (closure, nothing
/// changes), a dry run, and a pass that deletes the retired 20 % (grace 0). Setup is bulk inserts and not measured.
/// Nothing else does GC over a Nix catalog, so figures are reported against the goal.
/// </summary>
public sealed class GcBenchmark : IBenchmark
{
    private const int ReferencesPerPath = 5;
    /// <summary>1 % of the paths are roots (Hydra's store-paths lists every job output of an evaluation).</summary>
    private const int RootsPerHundredPaths = 1;
    private const int BatchSize = 50_000;
    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(10);

    public string Name => "gc";

    public string Description =>
        "GC passes over a synthetic catalog: gc [PATHS=1000000] [DIR: keep the catalog there; reuse it if present]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var paths = arguments.Count > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 1_000_000;
        using var temporary = new TempDirectory("narseed-bench-gc-");
        var directory = arguments.Count > 1 ? Path.GetFullPath(arguments[1]) : temporary.Path;
        var reuse = File.Exists(Path.Combine(directory, NarCatalog.FileName));
        var catalog = await NarCatalog.OpenAsync(Path.Combine(directory, NarCatalog.FileName), TimeProvider.System,
            cancellationToken);
        var setup = Stopwatch.StartNew();
        var (references, roots) = reuse ? (0L, 0) : await PopulateAsync(catalog, paths, cancellationToken);
        Console.WriteLine(reuse
            ? $"setup: reusing the catalog in {directory}"
            : $"setup: {paths:N0} paths, {references:N0} references, {paths:N0} nars, {roots:N0} roots in " +
              $"{setup.Elapsed.TotalSeconds:F1} s; catalog {new FileInfo(catalog.DatabasePath).Length / 1e6:F0} MB + WAL");

        var gc = new GarbageCollector(catalog, new NarStore(directory), [], TimeProvider.System,
            NullLogger<GarbageCollector>.Instance);
        var keep = new GcOptions { Grace = GcOptions.DefaultGrace };
        await Measure("first pass (closure, retire unrooted)", () => gc.CollectAsync(keep, false, cancellationToken));
        await Measure("steady pass (closure, no change)", () => gc.CollectAsync(keep, false, cancellationToken));
        await Measure("dry run", () => gc.CollectAsync(keep, true, cancellationToken));
        await Measure("delete pass (grace 0, ≤ 50,000 per pass)",
            () => gc.CollectAsync(new GcOptions { Grace = TimeSpan.Zero }, false, cancellationToken));
        return 0;
    }

    private static async Task Measure(string what, Func<Task<GcReport>> pass)
    {
        var started = Stopwatch.GetTimestamp();
        var report = await pass();
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"{what,-40} {elapsed.TotalSeconds,6:F2} s  ({elapsed / Goal:F2}× the 10 s goal)  " +
                          $"live {report.LivePaths:N0}, retired {report.Retired.Count:N0}, " +
                          $"deleted {report.Deleted.Count():N0}");
    }

    private static async Task<(long References, int Roots)> PopulateAsync(NarCatalog catalog, int count, CancellationToken cancellationToken)
    {
        var random = new Random(6);
        long references = 0;
        var referenced = new bool[count];
        var narinfo = "StorePath: synthetic\n"u8.ToArray();
        for (var start = 0; start < count; start += BatchSize)
        {
            var end = Math.Min(count, start + BatchSize);
            var batch = new List<StorePathRecord>(end - start);
            for (var i = start; i < end; i++)
            {
                // Graph A holds i % 5 != 0, graph B i % 5 == 0; a path refers to earlier paths of its own graph.
                var refs = new HashSet<int>();
                while (i >= 100 && refs.Count < ReferencesPerPath) // 100: enough earlier paths in each graph
                {
                    var j = random.Next(i);
                    if ((j % 5 == 0) == (i % 5 == 0)) refs.Add(j);
                }
                references += refs.Count;
                foreach (var j in refs) referenced[j] = true;
                batch.Add(new StorePathRecord(Hash(i), StorePath(i), narinfo, "sha256:x", 1000, null,
                    "https://cache.example", refs.Select(Hash).ToList()));
            }
            await catalog.AddStorePathsAsync(batch, cancellationToken);
            await catalog.AddNarsAsync(Enumerable.Range(start, end - start).Select(i => new NarFileRecord(Hash(i),
                $"nar/{i}.nar.xz", $"https://cache.example/nar/{i}.nar.xz", "xz", "sha256:y", 1000 + i,
                $"{i}.nar.xz", NarState.Ready)).ToList(), cancellationToken);
        }
        // Roots: the paths of graph A that nothing refers to, as Hydra's job outputs are; their closure is all of A.
        var roots = Enumerable.Range(0, count).Where(i => i % 5 != 0 && !referenced[i]).ToList();
        await catalog.ReplaceConfiguredRootsAsync(roots.Select(StorePath), cancellationToken);
        return (references, roots.Count);
    }

    private static string StorePath(int i) => $"/nix/store/{Hash(i)}-synthetic-{i}";

    private static string Hash(int i)
    {
        const string nix32 = "0123456789abcdfghijklmnpqrsvwxyz";
        var chars = new char[StorePathText.HashPartLength];
        Array.Fill(chars, '0');
        for (var k = chars.Length - 1; i > 0; k--, i /= 32) chars[k] = nix32[i % 32];
        return new string(chars);
    }
}
