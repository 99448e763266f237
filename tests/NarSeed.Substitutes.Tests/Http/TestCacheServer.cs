using System.Collections.Concurrent;
using System.Net;
using NarSeed.TestSupport;

namespace NarSeed.Substitutes.Tests.Http;

/// <summary>
/// A small HTTP cache on 127.0.0.1 (HttpListener): serves in-memory files for GET and HEAD, honours
/// <c>Range: bytes=N-</c>, logs requests, and can inject faults (cut a body after N bytes, answer a status, redirect).
/// </summary>
public sealed class TestCacheServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public TestCacheServer()
    {
        // A free port can be taken by another process before we bind it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Tcp();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                try { _listener.Close(); } catch (HttpListenerException) { }
            }
        }
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; private set; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Path → status code to answer instead of the file (e.g. 403, 500, 429).</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

    /// <summary>Path → Location to redirect to with 302.</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new(StringComparer.Ordinal);

    /// <summary>Path → how many more times to cut the body after half of it.</summary>
    public ConcurrentDictionary<string, int> CutsLeft { get; } = new(StringComparer.Ordinal);

    /// <summary>Path → how many more times to answer 503 before serving.</summary>
    public ConcurrentDictionary<string, int> FailuresLeft { get; } = new(StringComparer.Ordinal);

    public bool IgnoreRange { get; set; }

    public ConcurrentQueue<string> Log { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        var range = request.Headers["Range"];
        Log.Enqueue($"{request.HttpMethod} {path}{(range is null ? "" : " " + range)}");
        try
        {
            if (Statuses.TryGetValue(path, out var status))
            {
                response.StatusCode = status;
                response.Close();
                return;
            }
            if (FailuresLeft.TryGetValue(path, out var failures) && failures > 0)
            {
                FailuresLeft[path] = failures - 1;
                response.StatusCode = 503;
                response.Close();
                return;
            }
            if (Redirects.TryGetValue(path, out var location))
            {
                response.StatusCode = 302;
                response.RedirectLocation = location;
                response.Close();
                return;
            }
            if (!Files.TryGetValue(path, out var body) || request.HttpMethod is not ("GET" or "HEAD"))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            long start = 0;
            if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                start = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {start}-{body.Length - 1}/{body.Length}";
            }
            response.Headers["Accept-Ranges"] = "bytes";
            response.ContentType = path.EndsWith(".narinfo", StringComparison.Ordinal) ? "text/x-nix-narinfo" : "application/octet-stream";
            response.ContentLength64 = body.Length - start;
            if (request.HttpMethod == "HEAD")
            {
                response.Close();
                return;
            }
            if (CutsLeft.TryGetValue(path, out var cuts) && cuts > 0)
            {
                CutsLeft[path] = cuts - 1;
                var half = (int)((body.Length - start) / 2);
                await response.OutputStream.WriteAsync(body.AsMemory((int)start, half));
                await response.OutputStream.FlushAsync();
                response.Abort();
                return;
            }
            await response.OutputStream.WriteAsync(body.AsMemory((int)start));
            response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
            response.Abort();
        }
    }

    /// <summary>Serves a directory tree (a file:// binary cache) under "/".</summary>
    public void AddDirectory(string root)
    {
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            Files["/" + Path.GetRelativePath(root, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        // Close alone: the managed HttpListener's Close after a Stop binds the prefix's port again to remove it, and
        // fails with "Address already in use" when another process has taken the port in between.
        _listener.Close();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The accept loop ends with the listener.
        }
    }
}
