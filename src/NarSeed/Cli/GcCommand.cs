using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.Hosting;

namespace NarSeed.Cli;

/// <summary>
/// `narseed gc [--dry-run]`: one GC pass over a node's state directory, running or stopped (SQLite WAL and busy
/// timeouts make the concurrent access safe). Prints what goes and the bytes freed.
/// </summary>
public static class GcCommand
{
    public static Command Create()
    {
        var command = new Command("gc",
            "Collect garbage in a node's state directory: stop seeding unrooted nars, delete them after the grace " +
            "period, evict for the disk quota.");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would go and the bytes freed; change nothing" };
        command.Options.Add(dryRun);
        var flags = new NodeFlags();
        flags.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(flags, parse.GetValue(dryRun), parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        NodeFlags flags, bool dryRun, ParseResult parse, CancellationToken cancellationToken)
    {
        if (NodeCommandSupport.Load(flags, parse, parse.InvocationConfiguration.Error) is not { } loaded)
        {
            return NodeCommandSupport.InvalidConfigurationExitCode;
        }
        var services = new ServiceCollection()
            .AddNodeOptions(loaded.Configuration)
            .AddNodeState()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<NarCatalog>().MigrateAsync(cancellationToken);
        var report = await provider.GetRequiredService<GarbageCollector>()
            .CollectAsync(loaded.Options.Gc, dryRun, cancellationToken);
        Print(report, parse.InvocationConfiguration.Output);
        return 0;
    }

    private static void Print(GcReport report, TextWriter output)
    {
        var (stop, delete, evict) = report.DryRun
            ? ("would stop seeding", "would delete (grace period over)", "would evict (disk quota)")
            : ("stopped seeding", "deleted (grace period over)", "evicted (disk quota)");
        PrintList(output, stop, report.Retired);
        PrintList(output, "seeding again (back in a closure)", report.Revived);
        PrintList(output, delete, report.Expired);
        PrintList(output, evict, report.Evicted);
        output.WriteLine(
            $"{(report.DryRun ? "dry run: " : "")}{report.LivePaths} paths in the roots' closures; " +
            $"{report.Retired.Count} nars {stop}, {report.Deleted.Count()} {(report.DryRun ? "would be " : "")}deleted, " +
            $"{NodeCommandSupport.FormatBytes(report.BytesFreed)} {(report.DryRun ? "would be " : "")}freed");
        if (report.DeletionLimitReached)
        {
            output.WriteLine($"note: one pass deletes at most {GarbageCollector.DefaultMaxDeletionsPerPass} nars; " +
                             "more are due, run gc again (a running node's next pass continues)");
        }
        if (report.OverQuotaWithRootedNarsOnly)
        {
            output.WriteLine($"warning: rooted nars alone take {NodeCommandSupport.FormatBytes(report.StoredBytesAfter)}," +
                             $" over the disk quota of {NodeCommandSupport.FormatBytes(report.DiskQuota!.Value)}");
        }
    }

    private static void PrintList(TextWriter output, string heading, IReadOnlyList<CatalogNar> nars)
    {
        if (nars.Count == 0)
        {
            return;
        }
        output.WriteLine($"{heading}: {nars.Count}");
        foreach (var nar in nars)
        {
            output.WriteLine($"  {nar.StorePath}  {nar.FileSize} bytes");
        }
    }
}
