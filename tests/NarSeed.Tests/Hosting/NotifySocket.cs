using System.Net.Sockets;
using System.Text;

namespace NarSeed.Tests.Hosting;

/// <summary>
/// A unix datagram socket standing in for systemd's notification socket: bound to a path, or to an abstract name when
/// the name starts with '@' (as $NOTIFY_SOCKET spells it).
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket(string name)
    {
        Name = name;
        _socket.Bind(new UnixDomainSocketEndPoint(name[0] == '@' ? "\0" + name[1..] : name));
    }

    /// <summary>The value for $NOTIFY_SOCKET.</summary>
    public string Name { get; }

    public async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    public void Dispose() => _socket.Dispose();
}
