using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NarSeed.Hosting;

/// <summary>
/// Tells systemd (Type=notify) READY=1 once the host has started (catalog recovered, Kestrel listening) and
/// STOPPING=1 when shutdown begins. A failed notification is logged, never fatal.
/// </summary>
public sealed class SystemdNotifyService(
    SystemdNotifier notifier, ILogger<SystemdNotifyService> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken) => SendAsync(SystemdNotifier.Ready, cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) =>
        SendAsync(SystemdNotifier.Stopping, cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SendAsync(string message, CancellationToken cancellationToken)
    {
        try
        {
            await notifier.NotifyAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            Log.SystemdNotifyFailed(logger, message, notifier.SocketName ?? "", e);
        }
    }
}
