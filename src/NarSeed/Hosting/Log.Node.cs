using Microsoft.Extensions.Logging;
using NarSeed.Mirror;

namespace NarSeed.Hosting;

/// <summary>The mirror's and the seeding service's log messages (ids 100–199).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Mirrored {StorePath} ({Bytes} bytes, {Compression}); seeding it")]
    public static partial void Mirrored(ILogger logger, string storePath, long bytes, string compression);

    [LoggerMessage(101, LogLevel.Warning, "Mirror refused {HashPart}: {Reason}: {Detail}")]
    public static partial void MirrorRefused(ILogger logger, string hashPart, MirrorFailure reason, string detail);

    [LoggerMessage(102, LogLevel.Warning, "Mirror could not fetch {HashPart}, will retry: {Detail}")]
    public static partial void MirrorTransferFailed(ILogger logger, string hashPart, string detail);

    [LoggerMessage(103, LogLevel.Error, "Mirror could not store {HashPart}, will retry")]
    public static partial void MirrorLocalFailed(ILogger logger, string hashPart, Exception error);

    [LoggerMessage(104, LogLevel.Information,
        "Mirror pass finished: {Mirrored} mirrored, {Present} already present, {Failures} failed, in {Seconds:F1} s")]
    public static partial void MirrorPassFinished(ILogger logger, long mirrored, long present, long failures,
        double seconds);

    [LoggerMessage(105, LogLevel.Error, "Mirror pass failed; the next pass retries")]
    public static partial void MirrorPassFailed(ILogger logger, Exception error);

    [LoggerMessage(106, LogLevel.Information, "Seeding on BitTorrent port {Port}: {Count} nars")]
    public static partial void SeedingStarted(ILogger logger, int port, int count);

    [LoggerMessage(107, LogLevel.Information, "Stopped seeding {Count} nars outside every root's closure")]
    public static partial void SeedingStopped(ILogger logger, int count);

    [LoggerMessage(108, LogLevel.Warning, "Nar file {File} is recorded as ready but missing; not seeded")]
    public static partial void NarFileMissing(ILogger logger, string file);

    [LoggerMessage(109, LogLevel.Error, "Seeding reconcile failed; the next one retries")]
    public static partial void ReconcileFailed(ILogger logger, Exception error);

    [LoggerMessage(111, LogLevel.Error, "Could not start seeding {File}")]
    public static partial void RegisterFailed(ILogger logger, string file, Exception error);

    [LoggerMessage(112, LogLevel.Error, "Peer discovery (trackers, LSD) could not start; seeding goes on without it")]
    public static partial void DiscoveryFailed(ILogger logger, Exception error);
}
