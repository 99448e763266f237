using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Trackers;
using NarSeed.Hosting;
using NarSeed.BitTorrent.Discovery;

namespace NarSeed.Status;

/// <summary>
/// Scrapes the node's trackers for every seeded torrent every <see cref="BitTorrentOptions.ScrapeInterval"/> (in
/// batches per tracker), so the status page knows the seeders of each nar and which are at risk.
/// </summary>
public sealed partial class TrackerScraper(IOptions<NodeOptions> options, Func<PeerDiscovery?> discovery, ILogger<TrackerScraper> logger,
    TimeProvider time) : BackgroundService
{
    /// <summary>A first scrape this soon after start lets the first announces land first.</summary>
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>One whole scrape round (all batches of all trackers) is cut off after this long.</summary>
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.BitTorrent.Trackers.Count == 0) return;
        var delay = FirstDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = options.Value.BitTorrent.ScrapeInterval;
            if (discovery()?.Trackers is not { } scheduler) continue;
            using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            round.CancelAfter(RoundTimeout);
            try
            {
                var answered = await scheduler.ScrapeTrackedAsync(round.Token).ConfigureAwait(false);
                Scraped(logger, answered);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                ScrapeTimedOut(logger, RoundTimeout);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (TrackerException e)
            {
                ScrapeFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scraped trackers: {Answered} info-hashes answered")]
    private static partial void Scraped(ILogger logger, int answered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A scrape round took longer than {Timeout}; cut off")]
    private static partial void ScrapeTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrape failed: {Message}")]
    private static partial void ScrapeFailed(ILogger logger, string message);
}
