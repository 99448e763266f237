using System.ComponentModel.DataAnnotations;

namespace NarSeed.Gc;

/// <summary>Garbage collection: configuration section <c>Gc</c>.</summary>
public sealed class GcOptions
{
    /// <summary>Nix caches a positive narinfo lookup for 30 days (narinfo-cache-positive-ttl, 2592000 s), so a
    /// client may still ask for a nar that long after its root went away.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromDays(30);

    /// <summary>How often the node collects; a pass over a million paths takes seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    /// <summary>How long a nar outside every closure stays on disk (not seeded) before it is deleted
    /// (<c>--gc-grace</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan Grace { get; set; } = DefaultGrace;

    /// <summary>Time between GC passes of a running node.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>Most bytes of nar files to keep (<c>--disk-quota</c>); null means no quota. Above it, unrooted nars
    /// are evicted least-requested first; rooted nars never are.</summary>
    [Range(1, long.MaxValue)]
    public long? DiskQuota { get; set; }
}
