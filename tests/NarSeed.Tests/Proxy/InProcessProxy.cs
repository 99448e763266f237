using System.Collections;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.Hosting;
using NarSeed.Proxy;

namespace NarSeed.Tests.Proxy;

/// <summary>The composed proxy (ProxyHost) on real Kestrel on 127.0.0.1, in-process; settings as configuration keys.</summary>
public sealed class InProcessProxy : IAsyncDisposable
{
    private InProcessProxy(WebApplication app, int port)
    {
        App = app;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private int _disposed;

    public WebApplication App { get; }

    public int Port { get; }

    public HttpClient Http { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ProxyCounters Counters => App.Services.GetRequiredService<ProxyCounters>();

    public FetchedNarCache Cache => App.Services.GetRequiredService<FetchedNarCache>();

    public FetchedNarSeeder Seeder => App.Services.GetRequiredService<FetchedNarSeeder>();

    /// <summary>Starts a proxy; <paramref name="settings"/> are keys under <c>Proxy:</c> (e.g. <c>Upstreams:0</c>).</summary>
    public static async Task<InProcessProxy> StartAsync(string directory, params KeyValuePair<string, string?>[] settings)
    {
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "proxy-config.json");
        if (!File.Exists(config)) await File.WriteAllTextAsync(config, "{}");
        KeyValuePair<string, string?>[] all =
        [
            // Port 0: Kestrel binds a port the system picks (a port chosen, released and bound again could be taken).
            new("State", Path.Combine(directory, "proxy-state")), new("Listen", "127.0.0.1:0"),
            // LSD off unless a test turns it on: concurrent tests seed the same nars, and LSD would mix their swarms.
            new("Lsd", "false"), .. settings,
        ];
        var configuration = NodeConfiguration.Build(config,
            all.Select(s => new KeyValuePair<string, string?>($"{ProxyOptions.Section}:{s.Key}", s.Value)),
            new Hashtable(), directory);
        var app = ProxyHost.Build(configuration, ProxyHost.LoadOptions(configuration));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessProxy(app, new Uri(address).Port);
    }

    /// <summary>The totals as /api/proxy/status serves them (the JSON, not the object behind it).</summary>
    public async Task<JsonElement> StatusAsync() =>
        (await Http.GetFromJsonAsync<JsonElement>("api/proxy/status"));

    /// <summary>
    /// The status once at least <paramref name="fetches"/> nar fetches are counted (or after 10 s, for the assertions to
    /// report). A fetch is counted just after its last byte went out, so a client can be done before the count is.
    /// </summary>
    public async Task<JsonElement> StatusAfterFetchesAsync(long fetches)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var status = await StatusAsync();
            if (status.GetProperty("totals").GetProperty("fetches").GetInt64() >= fetches || DateTime.UtcNow > deadline) return status;
            await Task.Delay(20);
        }
    }

    /// <summary>Stops and disposes the host; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
