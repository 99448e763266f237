using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.Hosting;

namespace NarSeed.Gc;

/// <summary>
/// Runs a GC pass when the node has started and then every <see cref="GcOptions.Interval"/>. A failed pass is logged
/// as an error and the next tick tries again: the catalog transaction rolled back, so nothing is half done.
/// </summary>
public sealed class GcService(
    GarbageCollector collector,
    IOptions<NodeOptions> options,
    TimeProvider time,
    ILogger<GcService> logger) : BackgroundService
{
    private int _failures;
    private int _passes;
    private GcPassSummary? _lastPass;

    /// <summary>Passes that threw since start (a health signal for the status page).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Passes that completed since start; the first runs as soon as the node has started.</summary>
    public int Passes => Volatile.Read(ref _passes);

    /// <summary>The latest completed pass, or null before the first one.</summary>
    public GcPassSummary? LastPass => Volatile.Read(ref _lastPass);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gc = options.Value.Gc;
        using var timer = new PeriodicTimer(gc.Interval, time);
        do
        {
            try
            {
                var report = await collector.CollectAsync(gc, dryRun: false, stoppingToken);
                Volatile.Write(ref _lastPass, GcPassSummary.From(report, time.GetUtcNow()));
                Interlocked.Increment(ref _passes);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException
                                          or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _failures);
                Log.GcPassFailed(logger, e);
            }
        }
        while (await WaitForTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
