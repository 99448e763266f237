using System.CommandLine;
using NarSeed.Catalog;
using NarSeed.Hosting;

namespace NarSeed.Cli;

/// <summary>`narseed roots add|remove|list`: the GC roots of a node's state directory, running or stopped.</summary>
public static class RootsCommand
{
    public static Command Create()
    {
        var roots = new Command("roots", "Manage the GC roots of a node: the store paths whose closures it keeps.");
        roots.Subcommands.Add(Add());
        roots.Subcommands.Add(Remove());
        roots.Subcommands.Add(List());
        return roots;
    }

    private static Command Add()
    {
        var paths = new Argument<string[]>("STORE_PATH_OR_FILE") { Arity = ArgumentArity.OneOrMore,
            Description = "Store paths, or files listing store paths one per line" };
        return Subcommand("add", "Add roots.", paths, async (catalog, values, console, cancellationToken) =>
        {
            var storePaths = await RootSpecifications.ExpandAsync(values, cancellationToken);
            foreach (var path in storePaths)
            {
                var added = await catalog.AddRootAsync(path, RootSource.CommandLine, cancellationToken);
                await console.Output.WriteLineAsync($"{(added ? "added" : "already a root")}: {path}");
            }
            return 0;
        });
    }

    private static Command Remove()
    {
        var paths = new Argument<string[]>("STORE_PATH") { Arity = ArgumentArity.OneOrMore };
        return Subcommand("remove", "Remove roots (the GC stops seeding what only they kept).", paths,
            async (catalog, values, console, cancellationToken) =>
            {
                var exitCode = 0;
                foreach (var path in values)
                {
                    if (await catalog.RemoveRootAsync(path, cancellationToken))
                    {
                        await console.Output.WriteLineAsync($"removed: {path}");
                    }
                    else
                    {
                        await console.Error.WriteLineAsync($"narseed: not a root: {path}");
                        exitCode = 1;
                    }
                }
                return exitCode;
            });
    }

    private static Command List() =>
        Subcommand("list", "List roots and where they came from.", null, async (catalog, _, console, cancellationToken) =>
        {
            foreach (var root in await catalog.ListRootsAsync(cancellationToken))
            {
                var source = root.Source == RootSource.Configuration ? "config" : "cli";
                await console.Output.WriteLineAsync($"{root.Path}\t{source}");
            }
            return 0;
        });

    private static Command Subcommand(string name, string description, Argument<string[]>? argument,
        Func<NarCatalog, string[], InvocationConfiguration, CancellationToken, Task<int>> action)
    {
        var command = new Command(name, description);
        if (argument is not null)
        {
            command.Arguments.Add(argument);
        }
        var flags = new NodeFlags();
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration;
            if (NodeCommandSupport.Load(flags, parse, console.Error) is not { } loaded)
            {
                return NodeCommandSupport.InvalidConfigurationExitCode;
            }
            try
            {
                var catalog = await NarCatalog.OpenAsync(Path.Combine(loaded.Options.State, NarCatalog.FileName),
                    TimeProvider.System, cancellationToken);
                var values = argument is null ? [] : parse.GetValue(argument) ?? [];
                return await action(catalog, values, console, cancellationToken);
            }
            catch (Exception e) when (e is NodeConfigurationException or ArgumentException)
            {
                await console.Error.WriteLineAsync($"narseed: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
