namespace NarSeed.BitTorrent.WebSeeds;

/// <summary>A failed web-seed request: <see cref="Reason"/>, and the server's Retry-After when it gave one.</summary>
public sealed class WebSeedException(WebSeedErrorReason reason, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public WebSeedErrorReason Reason { get; } = reason;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>True when trying again later may work (a status, a stall, a truncation, a network error).</summary>
    public bool IsTransient => Reason is WebSeedErrorReason.HttpStatus or WebSeedErrorReason.Truncated
        or WebSeedErrorReason.Stalled or WebSeedErrorReason.Network;
}
