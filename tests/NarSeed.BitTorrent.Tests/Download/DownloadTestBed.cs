using System.Net;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Engine;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>A temp directory, a data file and its torrent, and NarSeed seeders on 127.0.0.1 serving it (or a corrupt copy).</summary>
internal sealed class DownloadTestBed : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("narseed-dl-");
    private readonly List<SeedEngine> _seeders = [];

    public string Directory => _directory.Path;

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public string DataPath { get; private set; } = "";

    public TorrentInfo Torrent { get; private set; } = null!;

    public static async Task<DownloadTestBed> CreateAsync(long length, int? pieceLength = null, bool hybrid = false, int seed = 1)
    {
        var bed = new DownloadTestBed();
        System.IO.Directory.CreateDirectory(bed.Combine("seed"));
        bed.DataPath = bed.Combine("seed", "data.bin");
        WriteRandom(bed.DataPath, length, seed);
        bed.Torrent = await TorrentBuilder.CreateAsync(bed.DataPath, new TorrentCreateOptions { PieceLength = pieceLength, Hybrid = hybrid });
        return bed;
    }

    /// <summary>Serves and checks another torrent of the same data file from now on (e.g. a v1-only one libtorrent made).</summary>
    public void UseTorrent(TorrentInfo torrent) => Torrent = torrent;

    public static void WriteRandom(string path, long length, int seed)
    {
        var random = new Random(seed);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long left = length; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    /// <summary>Starts a NarSeed seeder for the torrent; with <paramref name="corruptPieces"/> it serves a copy with those pieces flipped.</summary>
    public Task<IPEndPoint> StartSeederAsync(params int[] corruptPieces) => StartSeederAsync(0, corruptPieces);

    /// <summary>As above, with an upload limit in bytes per second (0 = none).</summary>
    public async Task<IPEndPoint> StartSeederAsync(long uploadRateLimit, params int[] corruptPieces)
    {
        var path = DataPath;
        if (corruptPieces.Length > 0)
        {
            path = Combine("seed", $"corrupt-{_seeders.Count}.bin");
            File.Copy(DataPath, path);
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            foreach (var piece in corruptPieces)
            {
                RandomAccess.Write(handle, new byte[] { 0xAA, 0x55, 0xAA }, (long)piece * Torrent.PieceLength + 100);
            }
        }
        var engine = new SeedEngine(new SeedEngineOptions { ListenAddresses = [IPAddress.Loopback], UploadRateLimit = uploadRateLimit }, new TestLogger());
        engine.Register(SeedTorrent.FromTorrentInfo(Torrent, path));
        await engine.StartAsync();
        _seeders.Add(engine);
        return new IPEndPoint(IPAddress.Loopback, engine.Port);
    }

    public DownloadOptions Options(string output, params IPEndPoint[] peers) => new()
    {
        OutputDirectory = Combine(output),
        Peers = peers,
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        StallTimeout = TimeSpan.FromSeconds(60),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
    };

    public void AssertSameAsSource(string path) =>
        File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(DataPath)).Should().BeTrue("the download must equal the source");

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _seeders) await engine.DisposeAsync();
        _directory.Dispose();
    }
}
