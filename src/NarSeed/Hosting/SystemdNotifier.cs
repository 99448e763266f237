using System.Net.Sockets;
using System.Text;

namespace NarSeed.Hosting;

/// <summary>
/// sd_notify(3) by hand: one datagram per message to the unix socket systemd names in <c>$NOTIFY_SOCKET</c>. A name
/// starting with '@' is an abstract socket (a leading NUL byte on the wire). Without the variable (not run by
/// systemd with Type=notify) every call does nothing.
/// </summary>
public sealed class SystemdNotifier
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    public const string Ready = "READY=1";

    public const string Stopping = "STOPPING=1";

    public SystemdNotifier(string? socketName) =>
        SocketName = string.IsNullOrEmpty(socketName) ? null : socketName;

    /// <summary>The socket from <c>$NOTIFY_SOCKET</c>, or null outside systemd.</summary>
    public string? SocketName { get; }

    public bool IsEnabled => SocketName is not null;

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable(SocketVariable));

    /// <summary>Sends one notification (e.g. <see cref="Ready"/>); false when not running under systemd.</summary>
    public async Task<bool> NotifyAsync(string message, CancellationToken cancellationToken)
    {
        if (SocketName is null)
        {
            return false;
        }
        var path = SocketName[0] == '@' ? "\0" + SocketName[1..] : SocketName;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        await socket.SendToAsync(Encoding.UTF8.GetBytes(message), SocketFlags.None,
            new UnixDomainSocketEndPoint(path), cancellationToken);
        return true;
    }
}
