using NarSeed.BitTorrent.Lsd;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>Which discovery sources run, and their settings. Every source can be switched off.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>Distinct peers remembered per torrent (dedupe set); further reports are dropped.</summary>
    public const int DefaultMaxPeersPerTorrent = 2000;

    public bool EnableTrackers { get; set; } = true;

    public bool EnableLsd { get; set; } = true;

    public bool EnablePex { get; set; } = true;

    /// <summary>Extra trackers announced for every torrent, as one more tier after the torrent's own.</summary>
    public IReadOnlyList<Uri> Trackers { get; set; } = [];

    public int MaxPeersPerTorrent { get; set; } = DefaultMaxPeersPerTorrent;

    /// <summary>Tracker limits and timeouts.</summary>
    public TrackerLimits TrackerLimits { get; set; } = TrackerLimits.Default;

    /// <summary>Scheduler tuning beyond peer id and port (which the owner supplies); null = defaults.</summary>
    public Func<AnnounceSchedulerOptions, AnnounceSchedulerOptions>? ConfigureScheduler { get; set; }

    public LsdOptions Lsd { get; set; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPeersPerTorrent);
        if (Trackers.Any(t => t.Scheme is not ("http" or "https" or "udp")))
        {
            throw new ArgumentException("Trackers must be http, https or udp URLs.");
        }
    }
}
