using System.CommandLine;
using NarSeed.Hosting;

namespace NarSeed.Cli;

/// <summary>`narseed serve`: run the node until SIGTERM or Ctrl-C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve",
            "Run a node: mirror the roots' closures from the origin, seed them over BitTorrent, serve narinfos.");
        var flags = new NodeFlags();
        flags.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(flags, parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(NodeFlags flags, ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        if (NodeCommandSupport.Load(flags, parse, error) is not { } loaded)
        {
            return NodeCommandSupport.InvalidConfigurationExitCode;
        }
        await using var app = NodeHost.Build(loaded.Configuration, loaded.Options, SystemdNotifier.FromEnvironment());
        return await HostedCommand.RunUntilShutdownAsync(app, error, cancellationToken);
    }
}
