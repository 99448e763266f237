using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using NarSeed.Hosting;

namespace NarSeed.Cli;

/// <summary>How <c>serve</c> and <c>proxy</c> run their host: start, then wait for SIGTERM or Ctrl-C.</summary>
public static class HostedCommand
{
    /// <summary>
    /// Runs <paramref name="app"/> until shutdown. Start-up failures a volunteer can fix (port in use, state directory
    /// not writable, a bad root list) become one line on stderr and exit code 1 instead of a stack trace.
    /// </summary>
    public static async Task<int> RunUntilShutdownAsync(WebApplication app, TextWriter error,
        CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NodeConfigurationException
                                      or Microsoft.Data.Sqlite.SqliteException)
        {
            await error.WriteLineAsync($"narseed: cannot start: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
