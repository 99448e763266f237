namespace NarSeed.BitTorrent.Tests.WebSeeds;

/// <summary>How <see cref="BadRangeServer"/> misbehaves.</summary>
public enum BadRangeMode
{
    /// <summary>A correct 206 (the control case).</summary>
    Good,

    /// <summary>A correct 206 header with wrong bytes.</summary>
    WrongBytes,

    /// <summary>500 with Retry-After: 0.</summary>
    ServerError,

    /// <summary>A correct header, half the body, then the connection closes.</summary>
    Truncated,

    /// <summary>A correct header, then nothing.</summary>
    Stall,

    /// <summary>302 to a file: URL.</summary>
    RedirectToFile,

    /// <summary>206 whose Content-Range is one byte off.</summary>
    WrongRange,

    /// <summary>Ignores Range: 200 with the whole file (acceptable by BEP 19 practice).</summary>
    WholeFile200,

    /// <summary>Every request for the file is redirected (relative Location) to another path that serves it correctly.</summary>
    RedirectOnce,
}
