using System.ComponentModel.DataAnnotations;

namespace NarSeed.Mirror;

/// <summary>How the mirror walks the roots' closures (<c>Mirror:*</c> settings).</summary>
public sealed class MirrorOptions
{
    /// <summary>Narinfo and nar requests in flight at once; small enough not to look like a flood to an origin.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>Re-walk period: roots may change (a channel's store-paths.xz is re-published a few times a day).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    /// <summary>First retry delay of a failed path within a pass; doubled per attempt.</summary>
    public static readonly TimeSpan DefaultRetryBackoff = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per path within one pass; later passes try again.</summary>
    public const int DefaultMaxAttempts = 4;

    [Range(1, 256)]
    public int Concurrency { get; set; } = DefaultConcurrency;

    public TimeSpan Interval { get; set; } = DefaultInterval;

    public TimeSpan RetryBackoff { get; set; } = DefaultRetryBackoff;

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>Guix: the compressions to mirror, most preferred first (one per path).</summary>
    public List<string> GuixCompressions { get; set; } = [];
}
