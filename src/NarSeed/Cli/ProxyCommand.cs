using System.CommandLine;
using NarSeed.Hosting;
using NarSeed.Proxy;

namespace NarSeed.Cli;

/// <summary>`narseed proxy`: a localhost substituter for unmodified Nix, swarm first, origin as fallback.</summary>
public static class ProxyCommand
{
    public static Command Create()
    {
        var command = new Command("proxy",
            "Run a local substituter: narinfos from the upstreams (signatures checked), nars from the swarm, else the origin.");
        var flags = new ProxyFlags();
        flags.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(flags, parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ProxyFlags flags, ParseResult parse, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        ProxyOptions options;
        Microsoft.Extensions.Configuration.IConfigurationRoot configuration;
        try
        {
            configuration = NodeConfiguration.Build(parse.GetValue(flags.Config), flags.ToSettings(parse),
                Environment.GetEnvironmentVariables(), AppContext.BaseDirectory);
            options = ProxyHost.LoadOptions(configuration);
        }
        catch (NodeConfigurationException e)
        {
            await error.WriteLineAsync($"narseed: invalid configuration:{Environment.NewLine}{e.Message}");
            return NodeCommandSupport.InvalidConfigurationExitCode;
        }
        await using var app = ProxyHost.Build(configuration, options);
        return await HostedCommand.RunUntilShutdownAsync(app, error, cancellationToken);
    }
}
