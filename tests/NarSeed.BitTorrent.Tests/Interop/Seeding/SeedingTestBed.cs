using System.Net;
using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Tests.Engine;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Seeding;

/// <summary>A temporary directory, a running NarSeed seeder on 127.0.0.1 and helpers to make data and jobs.</summary>
internal sealed class SeedingTestBed : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("narseed-seed-");

    private SeedingTestBed(SeedEngine engine, TestLogger log)
    {
        Engine = engine;
        Log = log;
    }

    /// <summary>What the seeder logged (debug level and up).</summary>
    public TestLogger Log { get; }

    public SeedEngine Engine { get; }

    public string Peer => $"127.0.0.1:{Engine.Port}";

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public string Directory => _directory.Path;

    public static async Task<SeedingTestBed> StartAsync(Action<SeedEngineOptions>? configure = null)
    {
        var options = new SeedEngineOptions
        {
            ListenAddresses = [IPAddress.Loopback],
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var log = new TestLogger();
        var engine = new SeedEngine(options, log);
        await engine.StartAsync();
        return new SeedingTestBed(engine, log);
    }

    /// <summary>Writes <paramref name="length"/> pseudo-random bytes (seeded, so reruns see the same file).</summary>
    public string WriteData(string name, long length, int seed = 1)
    {
        var path = Combine(name);
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long left = length; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
        return path;
    }

    public static JsonObject Make(string data, bool v2Only = true, int pieceSize = 0) => new()
    {
        ["data"] = data, ["torrent"] = data + ".torrent", ["v2only"] = v2Only, ["piece_size"] = pieceSize,
    };

    public JsonObject TorrentJob(string torrentPath, string saveName, int timeoutSeconds = 60) => new()
    {
        ["torrent"] = torrentPath, ["save"] = NewDirectory(saveName), ["peers"] = new JsonArray(Peer),
        ["timeout"] = timeoutSeconds,
    };

    public JsonObject MagnetJob(int madeIndex, string saveName, int timeoutSeconds = 60) => new()
    {
        ["magnet_of"] = madeIndex, ["save"] = NewDirectory(saveName), ["peers"] = new JsonArray(Peer),
        ["timeout"] = timeoutSeconds,
    };

    private string NewDirectory(string name) => System.IO.Directory.CreateDirectory(Combine(name)).FullName;

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _directory.Dispose();
    }
}
