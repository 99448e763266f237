using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.Hosting;

namespace NarSeed.Mirror;

/// <summary>
/// Walks the roots' closures at start and then every <see cref="MirrorOptions.Interval"/>; sooner
/// (<see cref="RetryAfterFailures"/>) when the last pass left failures, e.g. because the origin was unreachable. A
/// failing pass is logged, never fatal: the node keeps serving what it has.
/// </summary>
public sealed class MirrorService(
    NarMirror mirror,
    MirrorProgress progress,
    IOptions<NodeOptions> options,
    ILogger<MirrorService> logger,
    TimeProvider time) : BackgroundService
{
    /// <summary>Next pass after a pass with failures: long enough not to hammer a down origin.</summary>
    public static readonly TimeSpan RetryAfterFailures = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var failures = 0L;
            var mirroredBefore = progress.Mirrored;
            var presentBefore = progress.AlreadyPresent;
            var started = Stopwatch.GetTimestamp();
            try
            {
                failures = await mirror.RunPassAsync(stoppingToken);
                progress.PassCompleted(time.GetUtcNow());
                Log.MirrorPassFinished(logger, progress.Mirrored - mirroredBefore,
                    progress.AlreadyPresent - presentBefore, failures, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures = 1;
                Log.MirrorPassFailed(logger, e);
            }
            var interval = options.Value.Mirror.Interval;
            var wait = failures > 0 && RetryAfterFailures < interval ? RetryAfterFailures : interval;
            await Task.Delay(wait, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
