using System.Collections;
using System.Net;
using Microsoft.AspNetCore.Builder;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Hosting;

/// <summary>The composed node on a real Kestrel on 127.0.0.1, in-process.</summary>
public sealed class NodeHostTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public NodeHostTests() => File.WriteAllText(_dir.Combine("config.json"), "{}");

    public void Dispose() => _dir.Dispose();

    private async Task<(WebApplication App, HttpClient Client)> StartAsync(
        NotifySocket? notify, params KeyValuePair<string, string?>[] settings)
    {
        var port = FreePort.Tcp();
        KeyValuePair<string, string?>[] all =
        [
            new("State", _dir.Combine("state")), new("Http", $"127.0.0.1:{port}"), .. settings,
        ];
        var configuration = NodeConfiguration.Build(_dir.Combine("config.json"), all, new Hashtable(), _dir.Path);
        var app = NodeHost.Build(configuration, NodeServices.LoadOptions(configuration),
            new SystemdNotifier(notify?.Name));
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
    }

    [Fact]
    public async Task Nix_cache_info_and_fast_404s_for_everything_else()
    {
        var (app, client) = await StartAsync(null, new KeyValuePair<string, string?>("Priority", "30"));
        await using var _ = app;

        var info = await client.GetAsync("nix-cache-info");
        info.StatusCode.Should().Be(HttpStatusCode.OK);
        info.Content.Headers.ContentType!.MediaType.Should().Be("text/x-nix-cache-info");
        (await info.Content.ReadAsStringAsync()).Should().Be("StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n");
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "nix-cache-info"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();

        foreach (var path in new[] { "0123456789abcdfghijklmnpqrsvwxyz.narinfo", "nar/x.nar.xz", "x.torrent", "../etc" })
        {
            var missing = await client.GetAsync(path);
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound, path);
            var body = await missing.Content.ReadAsStringAsync();
            body.Should().Be("Not Found\n").And.NotContain(_dir.Path);
            (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode
                .Should().Be(HttpStatusCode.NotFound);
        }
        await app.StopAsync();
    }

    [Fact]
    public async Task A_Guix_node_advertises_the_Guix_store()
    {
        var key = _dir.Combine("guix.pub");
        await File.WriteAllTextAsync(key, "(public-key (ecc (curve Ed25519) (q #00#)))");
        var (app, client) = await StartAsync(null, new("Dialect", "guix"), new("Origins:0", "https://ci.guix.example"),
            new("TrustedKeys:0", key));
        await using var _ = app;

        (await client.GetStringAsync("nix-cache-info")).Should().StartWith("StoreDir: /gnu/store\n");
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_repairs_the_state_directory_and_registers_configured_roots_before_listening()
    {
        var catalog = await Catalog.CatalogTestData.OpenAsync(_dir.Combine("state"));
        var store = new NarStore(_dir.Combine("state"));
        await File.WriteAllTextAsync(Path.Combine(store.TemporaryDirectory, "x.nar.xz.1.partial"), "half");
        await File.WriteAllTextAsync(store.GetPath("orphan.nar.xz"), "never recorded");
        await catalog.AddRootAsync(Catalog.CatalogTestData.StorePath(9), RootSource.CommandLine, default);
        using var notify = new NotifySocket(_dir.Combine("notify"));

        var (app, client) = await StartAsync(notify, new KeyValuePair<string, string?>("Roots:0",
            Catalog.CatalogTestData.StorePath(1)));
        await using var _ = app;

        (await notify.ReceiveAsync(TimeSpan.FromSeconds(10))).Should().Be("READY=1");
        Directory.EnumerateFiles(store.TemporaryDirectory).Should().BeEmpty();
        store.ListFiles().Should().BeEmpty();
        (await catalog.ListRootsAsync(default)).Select(r => (r.Path, r.Source)).Should().BeEquivalentTo(new[]
        {
            (Catalog.CatalogTestData.StorePath(1), RootSource.Configuration),
            (Catalog.CatalogTestData.StorePath(9), RootSource.CommandLine),
        });
        (await client.GetAsync("nix-cache-info")).StatusCode.Should().Be(HttpStatusCode.OK);

        await app.StopAsync();
        (await notify.ReceiveAsync(TimeSpan.FromSeconds(10))).Should().Be("STOPPING=1");
    }
}
