using Microsoft.Extensions.Logging;

namespace NarSeed.Substitutes;

/// <summary>The library's log messages (house rule: [LoggerMessage] in one Log.cs per project).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
        Message = "Substituter request {Uri} failed ({Reason}) on attempt {Attempt} of {MaxAttempts}; retrying in {Delay}")]
    public static partial void RetryingRequest(ILogger logger, Uri uri, string reason, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Following redirect from {From} to {To}")]
    public static partial void FollowingRedirect(ILogger logger, Uri from, Uri to);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information,
        Message = "Resuming {Uri} from byte {Offset} with a Range request")]
    public static partial void ResumingDownload(ILogger logger, Uri uri, long offset);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning,
        Message = "{Uri} ignored the Range request; restarting the download from byte 0")]
    public static partial void RangeIgnored(ILogger logger, Uri uri);
}
