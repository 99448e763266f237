using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;
using NarSeed.Gc;

namespace NarSeed.Hosting;

/// <summary>Service registrations shared by the node and the commands that work on its state directory.</summary>
public static class NodeServices
{
    /// <summary>Binds <see cref="NodeOptions"/> (unknown keys are errors), applies defaults, validates at start.</summary>
    public static IServiceCollection AddNodeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeOptions>()
            .Bind(configuration, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<NodeOptions>, NodeOptionsDefaults>();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>();
        services.AddSingleton<IValidateOptions<NodeOptions>, NodeOptionsConsistencyValidator>();
        return services;
    }

    /// <summary>The catalog, the nar file area and the garbage collector over the configured state directory.</summary>
    public static IServiceCollection AddNodeState(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new NarCatalog(
            Path.Combine(sp.GetRequiredService<IOptions<NodeOptions>>().Value.State, NarCatalog.FileName),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new NarStore(sp.GetRequiredService<IOptions<NodeOptions>>().Value.State));
        services.AddSingleton<GarbageCollector>();
        return services;
    }

    /// <summary>
    /// Binds and validates the options outside any host, turning every binding and validation failure into one
    /// <see cref="NodeConfigurationException"/> whose message names the settings. Commands call this first, so a bad
    /// setting stops them before anything is opened.
    /// </summary>
    public static NodeOptions LoadOptions(IConfiguration configuration)
    {
        using var provider = new ServiceCollection().AddNodeOptions(configuration).BuildServiceProvider();
        try
        {
            return provider.GetRequiredService<IOptions<NodeOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new NodeConfigurationException(
                string.Join(Environment.NewLine, e.Failures.Select(NodeFlags.WithWhereToSet)), e);
        }
        catch (InvalidOperationException e)
        {
            // The binder's own messages name the key: "Failed to convert configuration value 'x' at 'BitTorrent:Port'
            // to type 'System.Int32'", "'Orgins' was not found on type NodeOptions".
            throw new NodeConfigurationException(NodeFlags.WithWhereToSet(e.Message), e);
        }
    }
}
