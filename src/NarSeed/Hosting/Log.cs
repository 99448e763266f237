using Microsoft.Extensions.Logging;

namespace NarSeed.Hosting;

/// <summary>The node's log messages, one place for their ids and wording (house rule 4).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "State directory {StateDirectory}, catalog schema version {Version}")]
    public static partial void CatalogOpened(ILogger logger, string stateDirectory, int version);

    [LoggerMessage(2, LogLevel.Warning,
        "Recovered after an unclean stop: deleted {TemporaryFiles} temporary files, {PendingRows} pending nar rows, " +
        "{RowsWithoutFile} nar rows whose file was missing, {OrphanFiles} files no row named")]
    public static partial void Recovered(ILogger logger, int temporaryFiles, int pendingRows, int rowsWithoutFile,
        int orphanFiles);

    [LoggerMessage(3, LogLevel.Information, "Roots from the configuration: {Count} store paths")]
    public static partial void ConfiguredRoots(ILogger logger, int count);

    [LoggerMessage(4, LogLevel.Information,
        "Substituter at {Url} (nix-cache-info: {Url}/nix-cache-info); status page {Url}/ (JSON {Url}/api/status, " +
        "Prometheus {Url}/metrics); origins {Origins}; BitTorrent port {BtPort}")]
    public static partial void Listening(ILogger logger, string url, string origins, int btPort);

    [LoggerMessage(5, LogLevel.Warning, "systemd notification {Message} could not be sent to {Socket}")]
    public static partial void SystemdNotifyFailed(ILogger logger, string message, string socket, Exception error);

    [LoggerMessage(10, LogLevel.Information,
        "GC: {LivePaths} paths in the roots' closures; retired {Retired}, revived {Revived}, deleted {Expired} " +
        "after the grace period and {Evicted} for the quota, {BytesFreed} bytes freed in {Milliseconds:F0} ms")]
    public static partial void GcPassFinished(ILogger logger, long livePaths, int retired, int revived, int expired,
        int evicted, long bytesFreed, double milliseconds);

    [LoggerMessage(11, LogLevel.Warning, "GC: nar file {File} was already gone")]
    public static partial void GcFileAlreadyGone(ILogger logger, string file);

    [LoggerMessage(12, LogLevel.Warning,
        "GC: rooted nars alone take {StoredBytes} bytes, over the disk quota of {Quota}; rooted nars are never evicted")]
    public static partial void GcQuotaExceededByRootedNars(ILogger logger, long storedBytes, long quota);

    [LoggerMessage(13, LogLevel.Error, "GC pass failed; the next pass retries")]
    public static partial void GcPassFailed(ILogger logger, Exception error);
}
