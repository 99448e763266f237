namespace NarSeed.BitTorrent.WebSeeds;

/// <summary>Why a web-seed request failed.</summary>
public enum WebSeedErrorReason
{
    /// <summary>A 4xx/5xx status (retried with back-off, honouring Retry-After).</summary>
    HttpStatus,

    /// <summary>A 206 whose Content-Range is not exactly the range asked for, or a 200 that is not the whole file.</summary>
    WrongRange,

    /// <summary>The body ended before the promised length.</summary>
    Truncated,

    /// <summary>No bytes arrived within the stall timeout.</summary>
    Stalled,

    /// <summary>A redirect to another scheme (e.g. <c>file:</c>), from a public to a private address, or too many.</summary>
    RedirectRefused,

    /// <summary>The connection failed.</summary>
    Network,
}
