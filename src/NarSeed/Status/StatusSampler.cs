using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NarSeed.Catalog;

namespace NarSeed.Status;

/// <summary>
/// Every <see cref="SampleInterval"/>: adds the engine's upload total to the <see cref="UploadRateHistory"/> and
/// moves each torrent's new uploads into the catalog's per-nar counters (so the torrent table sorts by upload in
/// SQL, and the figures outlive a restart).
/// </summary>
public sealed class StatusSampler(
    ISwarmStatusSource swarm,
    NarCatalog catalog,
    UploadRateHistory history,
    TimeProvider time,
    ILogger<StatusSampler> logger) : BackgroundService
{
    /// <summary>Time between samples: the chart's resolution and the most the torrent table's upload figures lag.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, long> _flushed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _flushedBytes;

    /// <summary>Bytes this run moved into the catalog's counters (the rest of the engine's total is still pending).</summary>
    public long FlushedBytes => Interlocked.Read(ref _flushedBytes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SampleInterval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                StatusLog.FlushFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Takes one sample now (the sampler's tick; tests call it to avoid waiting).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            history.Add(time.GetUtcNow(), swarm.ReadTotals().UploadedBytes);
            await FlushTrafficAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FlushTrafficAsync(CancellationToken cancellationToken)
    {
        var pending = new List<(string Key, NarTraffic Traffic, long Total)>();
        foreach (var torrent in swarm.ReadActiveTorrents())
        {
            var key = Convert.ToHexStringLower(torrent.InfoHashV2.Span);
            var delta = torrent.UploadedBytes - _flushed.GetValueOrDefault(key);
            if (delta <= 0) continue;
            pending.Add((key, new NarTraffic(torrent.InfoHashV2, delta, torrent.LastUpload ?? time.GetUtcNow()),
                torrent.UploadedBytes));
        }
        if (pending.Count == 0) return;
        await catalog.AddTrafficAsync(pending.Select(p => p.Traffic).ToList(), cancellationToken);
        foreach (var (key, traffic, total) in pending)
        {
            _flushed[key] = total;
            Interlocked.Add(ref _flushedBytes, traffic.Bytes);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
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
