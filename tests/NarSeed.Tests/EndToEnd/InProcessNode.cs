using System.Collections;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.Hosting;
using NarSeed.Mirror;
using NarSeed.Seeding;
using NarSeed.TestSupport;

namespace NarSeed.Tests.EndToEnd;

/// <summary>The composed node (NodeHost) on real Kestrel and a real BitTorrent port on 127.0.0.1, in-process.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private InProcessNode(WebApplication app, int httpPort, int btPort)
    {
        App = app;
        HttpPort = httpPort;
        BtPort = btPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public int HttpPort { get; }

    public int BtPort { get; }

    public HttpClient Http { get; }

    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    public MirrorProgress Progress => App.Services.GetRequiredService<MirrorProgress>();

    public SeedingService Seeding => App.Services.GetRequiredService<SeedingService>();

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<InProcessNode> StartAsync(string directory, params KeyValuePair<string, string?>[] settings)
    {
        var httpPort = FreePort.Tcp();
        var btPort = FreePort.Tcp();
        var config = Path.Combine(directory, "config.json");
        if (!File.Exists(config)) await File.WriteAllTextAsync(config, "{}");
        KeyValuePair<string, string?>[] all =
        [
            new("State", Path.Combine(directory, "state")), new("Http", $"127.0.0.1:{httpPort}"),
            new("BitTorrent:Port", btPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            // LSD off unless a test turns it on: concurrent tests seed the same nars, and LSD would mix their swarms.
            new("BitTorrent:Lsd", "false"), .. settings,
        ];
        var configuration = NodeConfiguration.Build(config, all, new Hashtable(), directory);
        var app = NodeHost.Build(configuration, NodeServices.LoadOptions(configuration), new SystemdNotifier(null));
        await app.StartAsync();
        return new InProcessNode(app, httpPort, btPort);
    }

    /// <summary>Waits (bounded) until the mirror has finished <paramref name="passes"/> passes.</summary>
    public async Task WaitForPassesAsync(int passes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Progress.PassesCompleted < passes)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"mirror finished {Progress.PassesCompleted} of {passes} passes");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
