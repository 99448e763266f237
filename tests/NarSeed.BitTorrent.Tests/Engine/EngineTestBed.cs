using System.Net;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>A seeder on 127.0.0.1 with torrents made by NarSeed's own builder, for fake-peer protocol tests.</summary>
internal sealed class EngineTestBed : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("narseed-engine-");

    private EngineTestBed(SeedEngine engine, TestLogger log)
    {
        Engine = engine;
        Log = log;
    }

    public SeedEngine Engine { get; }

    public TestLogger Log { get; }

    public static async Task<EngineTestBed> StartAsync(Action<SeedEngineOptions>? configure = null)
    {
        var options = new SeedEngineOptions
        {
            ListenAddresses = [IPAddress.Loopback],
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        var log = new TestLogger();
        var engine = new SeedEngine(options, log);
        await engine.StartAsync();
        return new EngineTestBed(engine, log);
    }

    /// <summary>Writes a file of seeded random bytes, builds its torrent and registers it.</summary>
    public async Task<(TorrentInfo Info, byte[] Data, SeedTorrent Torrent)> AddAsync(long length, int pieceLength, bool hybrid = false, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        var path = _directory.Combine($"data-{seed}-{length}.bin");
        await File.WriteAllBytesAsync(path, data);
        var info = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { PieceLength = pieceLength, Hybrid = hybrid });
        var torrent = SeedTorrent.FromTorrentInfo(info, path);
        Engine.Register(torrent);
        return (info, data, torrent);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        _directory.Dispose();
    }
}
