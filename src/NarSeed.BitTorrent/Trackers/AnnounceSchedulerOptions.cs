namespace NarSeed.BitTorrent.Trackers;

/// <summary>Settings of the <see cref="AnnounceScheduler"/>; defaults are sized for 100,000 torrents.</summary>
public sealed class AnnounceSchedulerOptions
{
    /// <summary>
    /// Announces per second to one tracker. 100,000 torrents at 60/s take about 28 min, so the first round spreads
    /// over opentracker's default 30 min interval and later rounds keep that spread.
    /// </summary>
    public const double DefaultMaxAnnouncesPerSecondPerTracker = 60;

    /// <summary>Announces in flight at once, over all trackers.</summary>
    public const int DefaultMaxConcurrentAnnounces = 64;

    /// <summary>First retry delay after a failure; doubled per failure (BEP 15's 15 s base; libtorrent starts at 5 s).</summary>
    public static readonly TimeSpan DefaultRetryBase = TimeSpan.FromSeconds(15);

    /// <summary>Longest retry delay (libtorrent's <c>tracker_backoff</c> tops out near an hour too).</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>How long shutdown waits for stopped events (libtorrent's <c>stop_tracker_timeout</c>: 5 s).</summary>
    public static readonly TimeSpan DefaultStopDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Peers asked for per announce (libtorrent: 200; a seeder needs fewer).</summary>
    public const int DefaultNumWant = 50;

    public required ReadOnlyMemory<byte> PeerId { get; init; }

    /// <summary>Our TCP listen port, read at each announce (the engine learns it when it starts).</summary>
    public required Func<int> Port { get; init; }

    public double MaxAnnouncesPerSecondPerTracker { get; init; } = DefaultMaxAnnouncesPerSecondPerTracker;

    public int MaxConcurrentAnnounces { get; init; } = DefaultMaxConcurrentAnnounces;

    public TimeSpan RetryBase { get; init; } = DefaultRetryBase;

    public TimeSpan MaxRetryDelay { get; init; } = DefaultMaxRetryDelay;

    /// <summary>Floor under the tracker's interval; see <see cref="TrackerLimits.DefaultMinInterval"/>.</summary>
    public TimeSpan MinInterval { get; init; } = TrackerLimits.DefaultMinInterval;

    public TimeSpan StopDeadline { get; init; } = DefaultStopDeadline;

    public int NumWant { get; init; } = DefaultNumWant;

    public TrackerLimits Limits { get; init; } = TrackerLimits.Default;

    internal void Validate()
    {
        if (PeerId.Length != 20) throw new ArgumentException("A peer id has 20 bytes.");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxAnnouncesPerSecondPerTracker, 0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConcurrentAnnounces);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryBase, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryBase);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StopDeadline, TimeSpan.Zero);
    }
}
