using Microsoft.Extensions.Logging;

namespace NarSeed.Status;

/// <summary>The status feature's log messages.</summary>
internal static partial class StatusLog
{
    [LoggerMessage(900, LogLevel.Warning, "Status: uploads could not be written to the catalog; the next sample retries")]
    public static partial void FlushFailed(ILogger logger, Exception error);
}
