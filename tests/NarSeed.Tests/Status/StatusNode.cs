using System.Collections;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.Status;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Status;

/// <summary>
/// A whole node on a real Kestrel on 127.0.0.1 (NodeHost, the composition root) plus a real <see cref="SeedEngine"/>
/// on a loopback port. The node does not register a seeding engine yet (the seeding service is another branch), so
/// this harness adds one and puts nars in the catalog and the engine the way the seeding service will: nar file in
/// the nar store, store path + nar + torrent rows in the catalog, torrent registered with the engine.
/// </summary>
internal sealed class StatusNode : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("narseed-status-");

    private StatusNode(WebApplication app, SeedEngine engine, int port)
    {
        App = app;
        Engine = engine;
        BaseUrl = $"http://127.0.0.1:{port}/";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public SeedEngine Engine { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public string Directory => _dir.Path;

    public NarCatalog Catalog => App.Services.GetRequiredService<NarCatalog>();

    public static async Task<StatusNode> StartAsync(params KeyValuePair<string, string?>[] settings)
    {
        var dir = new TempDirectory("narseed-status-cfg-");
        try
        {
            File.WriteAllText(dir.Combine("config.json"), "{}");
            var port = FreePort.Tcp();
            KeyValuePair<string, string?>[] all =
                [new("State", dir.Combine("state")), new("Http", $"127.0.0.1:{port}"), .. settings];
            var configuration = NodeConfiguration.Build(dir.Combine("config.json"), all, new Hashtable(), dir.Path);
            var engine = new SeedEngine(new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback] });
            var app = NodeHost.Build(configuration, NodeServices.LoadOptions(configuration), new SystemdNotifier(null),
                services =>
                {
                    services.AddSingleton(engine);
                    services.AddHostedService<EngineLifetime>();
                });
            await app.StartAsync();
            var node = new StatusNode(app, engine, port);
            node._configDir = dir;
            return node;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    private TempDirectory? _configDir;

    /// <summary>A nar of <paramref name="size"/> random bytes for store path <c>/nix/store/HASH-NAME</c>, seeded.</summary>
    public async Task<SeededNar> AddNarAsync(int n, string name, int size)
    {
        var hash = CatalogTestDataHash(n);
        var storePath = $"/nix/store/{hash}-{name}";
        var fileName = $"{hash}.nar";
        var store = App.Services.GetRequiredService<NarStore>();
        var data = new byte[size];
        new Random(n).NextBytes(data);
        await using (var pending = store.CreatePending(fileName))
        {
            await pending.Stream.WriteAsync(data);
            await pending.CommitAsync(CancellationToken.None);
        }
        var narInfo = Encoding.UTF8.GetBytes($"StorePath: {storePath}\nURL: nar/{fileName}\n");
        await Catalog.AddStorePathAsync(new StorePathRecord(hash, storePath, narInfo, $"sha256:{hash}", size, null,
            "https://cache.example", []), CancellationToken.None);
        var narId = await Catalog.AddNarAsync(new NarFileRecord(hash, $"nar/{fileName}",
            $"https://cache.example/nar/{fileName}", "none", $"sha256:{hash}", size, fileName, NarState.Ready),
            CancellationToken.None);
        var path = store.GetPath(fileName);
        var info = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { Name = fileName });
        await Catalog.SetTorrentAsync(new TorrentRecord(narId, info.InfoHashV2, info.InfoHashV1, info.PieceLength,
            info.PiecesRoot, info.PieceLayer), CancellationToken.None);
        Engine.Register(SeedTorrent.FromTorrentInfo(info, path));
        var torrentFile = _dir.Combine($"{hash}.torrent");
        await File.WriteAllBytesAsync(torrentFile, info.ToTorrentFile());
        return new SeededNar(storePath, path, torrentFile, info, size);
    }

    /// <summary>Takes an upload sample now instead of waiting for the sampler's tick.</summary>
    public Task SampleAsync() => App.Services.GetRequiredService<StatusSampler>().SampleAsync(CancellationToken.None);

    public ScrapeBook Scrapes => App.Services.GetRequiredService<ScrapeBook>();

    private static string CatalogTestDataHash(int n) => NarSeed.Tests.Catalog.CatalogTestData.Hash(n);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _configDir?.Dispose();
        _dir.Dispose();
    }

    /// <summary>Starts the engine with the host and stops it with the host, as the seeding service will.</summary>
    private sealed class EngineLifetime(SeedEngine engine) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => engine.DisposeAsync().AsTask();
    }
}

/// <summary>A nar the harness put in the catalog and the engine.</summary>
internal sealed record SeededNar(string StorePath, string DataPath, string TorrentFile, TorrentInfo Info, int Size);
