using System.Net;
using System.Net.Sockets;

namespace NarSeed.TestSupport;

/// <summary>
/// Ports on 127.0.0.1 that nothing listens on right now, for servers a test starts. They come from below Linux's
/// ephemeral range (32768–60999 by default): a port the kernel handed out for port 0 could be handed out again to
/// an outgoing connection (a browser, a tracker client) before the test's server binds it. Each port is given out
/// once per process, and is free for TCP and UDP on 127.0.0.1 and ::1 when it is given.
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_000;

    private static readonly object Gate = new();
    private static readonly HashSet<int> Given = [];

    // Test processes that run at the same time start in different places of the range.
    private static int _next = First + (Environment.ProcessId * 997 % (Last - First));

    public static int Tcp() => Take();

    public static int Udp() => Take();

    private static int Take()
    {
        lock (Gate)
        {
            for (var tries = 0; tries < Last - First; tries++)
            {
                var port = _next;
                _next = _next >= Last ? First : _next + 1;
                if (Given.Contains(port) || !IsFree(port)) continue;
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"No free port between {First} and {Last}.");
    }

    private static bool IsFree(int port) =>
        CanBind(IPAddress.Loopback, SocketType.Stream, ProtocolType.Tcp, port) &&
        CanBind(IPAddress.Loopback, SocketType.Dgram, ProtocolType.Udp, port) &&
        (!Ipv6Loopback.Value ||
         (CanBind(IPAddress.IPv6Loopback, SocketType.Stream, ProtocolType.Tcp, port) &&
          CanBind(IPAddress.IPv6Loopback, SocketType.Dgram, ProtocolType.Udp, port)));

    /// <summary>Whether ::1 exists here (a machine may run with IPv6 off).</summary>
    private static readonly Lazy<bool> Ipv6Loopback = new(() =>
        Socket.OSSupportsIPv6 && CanBind(IPAddress.IPv6Loopback, SocketType.Stream, ProtocolType.Tcp, 0));

    private static bool CanBind(IPAddress address, SocketType type, ProtocolType protocol, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, type, protocol);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
