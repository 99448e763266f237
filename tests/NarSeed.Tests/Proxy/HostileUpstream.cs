using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// An upstream that misbehaves as told, on real Kestrel on 127.0.0.1 (port chosen by the system, so no port is picked
/// and released): every request goes to <c>respond</c>, which may answer with a status, garbage, a cut body, or abort.
/// </summary>
public sealed class HostileUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HostileUpstream(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Requests seen (path and query), in order.</summary>
    public List<string> Requests { get; } = [];

    public static async Task<HostileUpstream> StartAsync(Func<HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        HostileUpstream? self = null;
        app.Run(async context =>
        {
            lock (self!.Requests) self.Requests.Add(context.Request.Path + context.Request.QueryString);
            await respond(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new HostileUpstream(app, address.TrimEnd('/'));
        return self;
    }

    /// <summary>Answers 200 with a declared length it never delivers: part of <paramref name="body"/>, then a reset.</summary>
    public static async Task CutAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 3));
        await context.Response.Body.FlushAsync();
        context.Abort();
    }

    /// <summary>A TCP server that answers every connection with bytes that are not HTTP, then closes it.</summary>
    public static TcpListener StartNotHttp(out string baseUrl)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        baseUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    await client.GetStream().WriteAsync("\u0016\u0003\u0001garbage that is not a status line\r\n\r\n\0\0"u8.ToArray());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // The listener was stopped.
            }
        });
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
