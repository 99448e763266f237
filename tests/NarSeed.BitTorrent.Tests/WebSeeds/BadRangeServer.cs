using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace NarSeed.BitTorrent.Tests.WebSeeds;

/// <summary>
/// A small hand-written HTTP/1.1 range server on 127.0.0.1 (TCP_NODELAY, keep-alive) that serves a file correctly or
/// misbehaves in one <see cref="BadRangeMode"/>. Counts the requests it got.
/// </summary>
public sealed partial class BadRangeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _file;
    private readonly BadRangeMode _mode;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;

    public BadRangeServer(string path, BadRangeMode mode)
    {
        _file = File.ReadAllBytes(path);
        _mode = mode;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/data.bin";

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                long start = 0, end = _file.Length - 1;
                var redirected = false;
                string? line;
                while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                {
                    if (line.StartsWith("GET /moved/", StringComparison.Ordinal)) redirected = true;
                    var match = RangeHeader().Match(line);
                    if (match.Success) (start, end) = (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value));
                }
                if (line is null) return;
                Interlocked.Increment(ref _requests);
                var length = (int)(end - start + 1);
                var body = _file.AsSpan((int)start, length).ToArray();
                string header;
                switch (_mode)
                {
                    case BadRangeMode.ServerError:
                        await Write(stream, "HTTP/1.1 500 Internal Server Error\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n");
                        continue;
                    case BadRangeMode.RedirectToFile:
                        await Write(stream, "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n");
                        continue;
                    case BadRangeMode.RedirectOnce when !redirected:
                        await Write(stream, "HTTP/1.1 302 Found\r\nLocation: /moved/data.bin\r\nContent-Length: 0\r\n\r\n");
                        continue;
                    case BadRangeMode.WholeFile200:
                        await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Length: {_file.Length}\r\n\r\n");
                        await stream.WriteAsync(_file, _stop.Token);
                        continue;
                    case BadRangeMode.WrongRange:
                        header = $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start + 1}-{end + 1}/{_file.Length}\r\nContent-Length: {length}\r\n\r\n";
                        break;
                    default:
                        header = $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{end}/{_file.Length}\r\nContent-Length: {length}\r\n\r\n";
                        break;
                }
                await Write(stream, header);
                switch (_mode)
                {
                    case BadRangeMode.WrongBytes:
                        Array.Reverse(body);
                        await stream.WriteAsync(body, _stop.Token);
                        break;
                    case BadRangeMode.Truncated:
                        await stream.WriteAsync(body.AsMemory(0, length / 2), _stop.Token);
                        return;
                    case BadRangeMode.Stall:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    default:
                        await stream.WriteAsync(body, _stop.Token);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }

        async Task Write(NetworkStream s, string text) => await s.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token);
    }

    [GeneratedRegex(@"^Range:\s*bytes=(\d+)-(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex RangeHeader();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
