using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;

namespace NarSeed.Hosting;

/// <summary>
/// Opens the catalog before anything else starts: migrations, crash recovery, then the configured roots. It runs in
/// <see cref="StartingAsync"/>, which the host awaits before any service's StartAsync and before Kestrel listens, so
/// nothing is ever served or seeded from an unrepaired state directory. Only <c>narseed serve</c> recovers: the
/// <c>roots</c> and <c>gc</c> commands must not delete a running node's temporary files.
/// </summary>
public sealed class CatalogStartupService(
    NarCatalog catalog,
    NarStore store,
    IOptions<NodeOptions> options,
    ILogger<CatalogStartupService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var version = await catalog.MigrateAsync(cancellationToken);
        Log.CatalogOpened(logger, options.Value.State, version);
        var report = await CatalogRecovery.RecoverAsync(catalog, store, cancellationToken);
        if (!report.NothingToRepair)
        {
            Log.Recovered(logger, report.TemporaryFilesDeleted, report.PendingRowsDeleted,
                report.RowsWithoutFileDeleted, report.OrphanFilesDeleted);
        }
        var roots = await RootSpecifications.ExpandAsync(options.Value.Roots, cancellationToken);
        await catalog.ReplaceConfiguredRootsAsync(roots, cancellationToken);
        Log.ConfiguredRoots(logger, roots.Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
