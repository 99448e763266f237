using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NarSeed.BitTorrent.Engine;
using NarSeed.Metrics;

namespace NarSeed.Status;

/// <summary>Registers the status page's services: read models, the sampler, the report and the metrics.</summary>
public static class StatusServices
{
    /// <summary>
    /// Read models default to the node's own components (the <see cref="SeedEngine"/> if one is registered, the
    /// configured trackers, no mirror); a feature that registers its own source first wins (TryAdd).
    /// </summary>
    public static IServiceCollection AddNodeStatus(this IServiceCollection services)
    {
        services.TryAddSingleton<ISwarmStatusSource>(sp => new SeedEngineSwarmStatus(sp.GetService<SeedEngine>()));
        services.TryAddSingleton<ScrapeBook>();
        services.TryAddSingleton<IDiscoveryStatusSource>(sp => sp.GetRequiredService<ScrapeBook>());
        services.TryAddSingleton<IMirrorStatusSource, NoMirrorStatus>();
        services.TryAddSingleton(_ => new UploadRateHistory());
        services.AddSingleton<StatusSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusSampler>());
        services.AddSingleton<StatusService>();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton(sp => new PrometheusTextExporter(sp.GetRequiredService<NodeMetrics>().Meter));
        return services;
    }
}
