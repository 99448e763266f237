using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NarSeed.BitTorrent.Tests.Trackers;

/// <summary>
/// A scriptable UDP tracker on 127.0.0.1: answers connects properly, and every other request with what
/// <see cref="Respond"/> returns for it (null: no answer). Counts the requests it got.
/// </summary>
internal sealed class FakeUdpTracker : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public FakeUdpTracker(Func<byte[], IEnumerable<byte[]>?> respond)
    {
        Respond = respond;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = ServeAsync();
    }

    public Func<byte[], IEnumerable<byte[]>?> Respond { get; }

    public int Requests => Volatile.Read(ref _requests);

    public Uri AnnounceUrl => new($"udp://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}/announce");

    public const ulong ConnectionId = 0x1122334455667788;

    /// <summary>The header of a reply to <paramref name="request"/>: action and the request's transaction id.</summary>
    public static byte[] Header(byte[] request, uint action, int extra = 0)
    {
        var reply = new byte[8 + extra];
        BinaryPrimitives.WriteUInt32BigEndian(reply, action);
        request.AsSpan(12, 4).CopyTo(reply.AsSpan(4));
        return reply;
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var request = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            IEnumerable<byte[]>? replies;
            if (BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(8)) == 0)
            {
                var reply = Header(request, 0, 8);
                BinaryPrimitives.WriteUInt64BigEndian(reply.AsSpan(8), ConnectionId);
                replies = [reply];
            }
            else
            {
                Interlocked.Increment(ref _requests);
                replies = Respond(request);
            }
            foreach (var reply in replies ?? []) await _socket.SendToAsync(reply, SocketFlags.None, result.RemoteEndPoint);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
