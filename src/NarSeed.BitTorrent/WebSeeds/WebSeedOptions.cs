namespace NarSeed.BitTorrent.WebSeeds;

/// <summary>BEP 19 web-seed settings; each default names its source (bittorrent.md §6.2).</summary>
public sealed class WebSeedOptions
{
    /// <summary>Largest Range asked for at once: 4 MiB (libtorrent asks up to 16 MiB; smaller runs spread better).</summary>
    public const int DefaultMaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>Parallel connections to one web seed (libtorrent pipelines 5 requests on one; we use keep-alive pairs).</summary>
    public const int DefaultConnectionsPerSeed = 2;

    /// <summary>Redirects followed for one request (HttpClient's own default is 50; 5 is plenty for a CDN).</summary>
    public const int DefaultMaxRedirects = 5;

    /// <summary>Consecutive failures after which a web seed is dropped for the rest of the download.</summary>
    public const int DefaultMaxConsecutiveFailures = 5;

    /// <summary>No byte for this long ends a request (libtorrent <c>urlseed_timeout</c> 20 s).</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>First retry delay; doubles per failure.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait, also the cap on a server's Retry-After (libtorrent <c>urlseed_wait_retry</c> 30 s).</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(30);

    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

    public int ConnectionsPerSeed { get; init; } = DefaultConnectionsPerSeed;

    public int MaxRedirects { get; init; } = DefaultMaxRedirects;

    public int MaxConsecutiveFailures { get; init; } = DefaultMaxConsecutiveFailures;

    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;

    public TimeSpan RetryDelay { get; init; } = DefaultRetryDelay;

    public TimeSpan MaxRetryDelay { get; init; } = DefaultMaxRetryDelay;

    public string UserAgent { get; init; } = "NarSeed/0.1";
}
