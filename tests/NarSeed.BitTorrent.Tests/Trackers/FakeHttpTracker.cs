using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NarSeed.BitTorrent.Tests.Trackers;

/// <summary>
/// A hostile HTTP tracker on 127.0.0.1: answers every request with <see cref="Reply"/> (status line, headers and
/// body written raw), or stalls when it is null. Records the request lines it saw.
/// </summary>
internal sealed class FakeHttpTracker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeHttpTracker(byte[]? body, string status = "200 OK")
    {
        Reply = body is null ? null : Response(body, status);
        _listener.Start();
        _loop = AcceptAsync();
    }

    public byte[]? Reply { get; set; }

    public List<string> RequestLines { get; } = [];

    public Uri AnnounceUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/announce");

    public static byte[] Response(byte[] body, string status = "200 OK") =>
        [.. Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), .. body];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    var text = Encoding.ASCII.GetString(buffer, 0, read);
                    lock (RequestLines) RequestLines.Add(text.Split("\r\n")[0]);
                    if (Reply is { } reply) await stream.WriteAsync(reply, _stop.Token);
                    else await Task.Delay(Timeout.Infinite, _stop.Token);
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
