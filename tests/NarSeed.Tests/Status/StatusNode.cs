using System.Collections;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.Hosting;
using NarSeed.Seeding;
using NarSeed.Status;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Status;

/// <summary>
/// A whole node on a real Kestrel on 127.0.0.1 (NodeHost, the composition root) with its own seeding service and
/// engine on a free BitTorrent port. Nars go in as the mirror puts them in (without an origin): the file into the nar
/// store, store path + nar + torrent rows (NarTorrents, as the mirror builds them) into the catalog, then
/// <see cref="SeedingService.SeedAsync"/>. Clients get the node's own <c>.torrent</c> from its HTTP endpoint.
/// </summary>
internal sealed class StatusNode : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("narseed-status-");

    private StatusNode(WebApplication app, int port)
    {
        App = app;
        BaseUrl = $"http://127.0.0.1:{port}/";
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public SeedEngine Engine => App.Services.GetRequiredService<SeedingService>().Engine
                                ?? throw new InvalidOperationException("The seeding service has not started.");

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
            [
                new("State", dir.Combine("state")), new("Http", $"127.0.0.1:{port}"),
                new("BitTorrent:Port", FreePort.Tcp().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. settings,
            ];
            var configuration = NodeConfiguration.Build(dir.Combine("config.json"), all, new Hashtable(), dir.Path);
            var app = NodeHost.Build(configuration, NodeServices.LoadOptions(configuration), new SystemdNotifier(null));
            await app.StartAsync();
            await WaitForFirstGcPassAsync(app);
            var node = new StatusNode(app, port);
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

    /// <summary>
    /// The node's first GC pass runs as soon as it starts. Tests add nars and roots afterwards; a pass that ran in
    /// between would retire the unrooted ones behind their back (it did, on a slow CI machine).
    /// </summary>
    private static async Task WaitForFirstGcPassAsync(WebApplication app)
    {
        var gc = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<GcService>().Single();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (gc.Passes == 0 && gc.Failures == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The node's first GC pass did not finish in 30 s.");
            await Task.Delay(10);
        }
        if (gc.Failures > 0) throw new InvalidOperationException("The node's first GC pass failed.");
    }

    /// <summary>A nar of <paramref name="size"/> random bytes for store path <c>/nix/store/HASH-NAME</c>, seeded.</summary>
    public async Task<StatusNar> AddNarAsync(int n, string name, int size)
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
            "http://127.0.0.1:9", []), CancellationToken.None);
        var path = store.GetPath(fileName);
        // The origin URL is the torrent's web seed; a closed local port, so clients fall back to the node at once.
        var originUrl = $"http://127.0.0.1:9/nar/{fileName}";
        var narId = await Catalog.AddNarAsync(new NarFileRecord(hash, $"nar/{fileName}", originUrl, "none",
            $"sha256:{hash}", size, fileName, NarState.Ready), CancellationToken.None);
        var nar = (await Catalog.FindNarAsync(hash, CancellationToken.None))!;
        var (info, record) = await NarTorrents.BuildAsync(narId, path, fileName, originUrl, hybrid: false, [],
            CancellationToken.None);
        await Catalog.SetTorrentAsync(record, CancellationToken.None);
        await App.Services.GetRequiredService<SeedingService>().SeedAsync(nar, record, CancellationToken.None);
        var torrentFile = _dir.Combine($"{hash}.torrent");
        await File.WriteAllBytesAsync(torrentFile, await Http.GetByteArrayAsync($"{hash}.torrent"));
        return new StatusNar(storePath, path, torrentFile, info, size);
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
}

/// <summary>A nar the harness put in the catalog and the engine.</summary>
internal sealed record StatusNar(string StorePath, string DataPath, string TorrentFile, TorrentInfo Info, int Size);
