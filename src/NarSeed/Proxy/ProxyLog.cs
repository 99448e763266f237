using Microsoft.Extensions.Logging;

namespace NarSeed.Proxy;

/// <summary>The proxy's log messages (ids 700–799).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(700, LogLevel.Information, "Proxy substituter at {Url}; upstreams {Upstreams}; cache {CacheSize} bytes in {State}")]
    public static partial void Listening(ILogger logger, string url, string upstreams, long cacheSize, string state);

    [LoggerMessage(701, LogLevel.Warning, "Narinfo {HashPart} from {Upstream} rejected: signature {Verdict}")]
    public static partial void NarInfoRejected(ILogger logger, string hashPart, Uri upstream, string verdict);

    [LoggerMessage(702, LogLevel.Debug, "Narinfo {HashPart} from {Upstream}: {Error}")]
    public static partial void UpstreamFailed(ILogger logger, string hashPart, Uri upstream, string error);

    [LoggerMessage(703, LogLevel.Information,
        "Fetched {HashPart} ({Source}): {Bytes} bytes in {Seconds:F2} s; peers {Peers}, web seeds {WebSeeds}, " +
        "origin {Origin}, cache {Cache}; {Banned} peers banned")]
    public static partial void Fetched(ILogger logger, string hashPart, FetchSource source, long bytes, double seconds,
        long peers, long webSeeds, long origin, long cache, int banned);

    [LoggerMessage(704, LogLevel.Information, "Swarm did not deliver {HashPart} in time ({Reason}); the origin carries it")]
    public static partial void SwarmFallback(ILogger logger, string hashPart, string reason);

    [LoggerMessage(705, LogLevel.Warning, "Fetching {HashPart} failed before any byte was sent: {Error}")]
    public static partial void FetchFailed(ILogger logger, string hashPart, string error);

    [LoggerMessage(706, LogLevel.Warning, "Fetching {HashPart} broke after {Bytes} bytes were sent: {Error}")]
    public static partial void FetchBroken(ILogger logger, string hashPart, long bytes, string error);

    [LoggerMessage(707, LogLevel.Warning, "Fetched {HashPart} does not match the narinfo's FileHash; not cached")]
    public static partial void FileHashMismatch(ILogger logger, string hashPart);

    [LoggerMessage(708, LogLevel.Information, "Seeding fetched {HashPart} for {Duration} on port {Port} (announced: {Announced})")]
    public static partial void SeedingFetched(ILogger logger, string hashPart, TimeSpan duration, int port, bool announced);

    [LoggerMessage(709, LogLevel.Warning, "Cannot seed fetched {HashPart}: {Error}")]
    public static partial void SeedingFailed(ILogger logger, string hashPart, string error);

    [LoggerMessage(710, LogLevel.Error, "Peer discovery (trackers, LSD) could not start: {Error}; fetches go on without it")]
    public static partial void DiscoveryFailed(ILogger logger, string error);
}
