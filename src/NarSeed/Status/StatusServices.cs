using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NarSeed.Metrics;
using NarSeed.Mirror;
using NarSeed.Seeding;

namespace NarSeed.Status;

/// <summary>Registers the status page's services: read models, the sampler, the report and the metrics.</summary>
public static class StatusServices
{
    /// <summary>
    /// Read models default to the node's own components (the seeding service's engine, the configured trackers and
    /// scrapes, the mirror's progress); a feature that registers its own source first wins (TryAdd).
    /// </summary>
    public static IServiceCollection AddNodeStatus(this IServiceCollection services)
    {
        services.TryAddSingleton<ISwarmStatusSource>(sp =>
        {
            var seeding = sp.GetService<SeedingService>();
            return new SeedEngineSwarmStatus(() => seeding?.Engine);
        });
        services.TryAddSingleton(sp =>
        {
            var seeding = sp.GetService<SeedingService>();
            return new ScrapeBook(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NarSeed.Hosting.NodeOptions>>(),
                () => seeding?.Discovery);
        });
        services.AddHostedService(sp =>
        {
            var seeding = sp.GetService<SeedingService>();
            return new TrackerScraper(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NarSeed.Hosting.NodeOptions>>(),
                () => seeding?.Discovery, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<TrackerScraper>>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        services.TryAddSingleton<IDiscoveryStatusSource>(sp => sp.GetRequiredService<ScrapeBook>());
        services.TryAddSingleton<IMirrorStatusSource>(sp => sp.GetService<MirrorProgress>() is { } progress
            ? new MirrorProgressStatus(progress)
            : new NoMirrorStatus());
        services.TryAddSingleton(_ => new UploadRateHistory());
        services.AddSingleton<StatusSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusSampler>());
        services.AddSingleton<StatusService>();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton(sp => new PrometheusTextExporter(sp.GetRequiredService<NodeMetrics>().Meter));
        return services;
    }
}
