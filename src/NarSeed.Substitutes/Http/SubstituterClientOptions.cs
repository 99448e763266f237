using NarSeed.Substitutes.NarInfo;

namespace NarSeed.Substitutes.Http;

/// <summary>Timeouts, retries and size bounds for <see cref="SubstituterClient"/>.</summary>
public sealed record SubstituterClientOptions
{
    /// <summary>Nix's <c>connect-timeout</c> is unset (curl's 300 s); NarSeed answers fast instead, as users ask (NixOS/nix#15419).</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest gap without response bytes before an attempt is abandoned (Nix: <c>stalled-download-timeout</c> 300 s; NarSeed is stricter).</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Nix's <c>download-attempts</c> default is 5 (filetransfer.cc).</summary>
    public const int DefaultMaxAttempts = 5;

    /// <summary>Nix's <c>tries</c> back-off starts at 250 ms and doubles (filetransfer.cc <c>baseRetryTimeMs</c>).</summary>
    public static readonly TimeSpan DefaultInitialBackoff = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>curl's default redirect limit is unlimited in Nix; browsers stop at 20, NarSeed at 5.</summary>
    public const int DefaultMaxRedirects = 5;

    /// <summary>NarSeed choice: the largest nars on cache.nixos.org are a few GiB (substitutes.md §6); 64 GiB bounds a bad server.</summary>
    public const long DefaultMaxNarBytes = 64L * 1024 * 1024 * 1024;

    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    public TimeSpan ReadTimeout { get; init; } = DefaultReadTimeout;

    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    public TimeSpan InitialBackoff { get; init; } = DefaultInitialBackoff;

    public TimeSpan MaxBackoff { get; init; } = DefaultMaxBackoff;

    public int MaxRedirects { get; init; } = DefaultMaxRedirects;

    public int MaxNarInfoBytes { get; init; } = NarInfoLimits.DefaultMaxBytes;

    public int MaxCacheInfoBytes { get; init; } = NixCacheInfo.MaxBytes;

    public long MaxNarBytes { get; init; } = DefaultMaxNarBytes;

    public string UserAgent { get; init; } = "NarSeed";
}
