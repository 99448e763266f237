using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Download;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Download;

/// <summary>NarSeed's downloader against real libtorrent 2.0 seeders and a real nginx origin on 127.0.0.1.</summary>
public sealed class LibtorrentDownloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static async Task<string> WriteTorrentAsync(DownloadTestBed bed)
    {
        var path = bed.Combine("data.torrent");
        await File.WriteAllBytesAsync(path, bed.Torrent.ToTorrentFile());
        return path;
    }

    [Fact]
    public async Task Downloads_a_v2_torrent_file_from_a_libtorrent_seeder()
    {
        await using var bed = await DownloadTestBed.CreateAsync(6 * 1024 * 1024 + 333);
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"));
        await using var download = new TorrentDownload(TorrentReader.Read(File.ReadAllBytes(bed.Combine("data.torrent"))),
            bed.Options("out", seeder.EndPoint));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesFromPeers.Should().Be(bed.Torrent.Length);
    }

    [Fact]
    public async Task Downloads_a_v2_only_magnet_with_metadata_and_hashes_served_by_libtorrent()
    {
        // 16 KiB pieces: 320 pieces, so the piece layer is fetched with a hash request that libtorrent answers.
        await using var bed = await DownloadTestBed.CreateAsync(5 * 1024 * 1024, pieceLength: 16 * 1024);
        bed.Torrent.Geometry.HasPieceLayer.Should().BeTrue();
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"));
        var magnet = MagnetLink.Parse($"magnet:?xt=urn:btmh:1220{bed.Torrent.InfoHashV2Hex}&x.pe=127.0.0.1:{seeder.EndPoint.Port}");
        await using var download = new TorrentDownload(magnet, bed.Options("out"));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        download.Torrent!.RawInfo.ToArray().Should().Equal(bed.Torrent.RawInfo.ToArray());
        download.Torrent.PieceLayer.ToArray().Should().Equal(bed.Torrent.PieceLayer.ToArray());
    }

    [Fact]
    public async Task Downloads_a_hybrid_torrent_from_a_libtorrent_seeder()
    {
        await using var bed = await DownloadTestBed.CreateAsync(3 * 1024 * 1024 + 5, pieceLength: 32 * 1024, hybrid: true);
        bed.Torrent.IsHybrid.Should().BeTrue();
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"));
        await using var download = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
    }

    [Fact]
    public async Task Downloads_from_nginx_alone_as_the_web_seed()
    {
        await using var bed = await DownloadTestBed.CreateAsync(9 * 1024 * 1024 + 1);
        await using var nginx = await NginxServer.StartAsync(bed.Combine("seed"));
        var options = bed.Options("out");
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = options.OutputDirectory, WebSeeds = [nginx.BaseUrl],
        });
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesFromWebSeeds.Should().Be(bed.Torrent.Length);
        result.BytesFromPeers.Should().Be(0);
    }

    [Fact]
    public async Task Downloads_from_a_libtorrent_seeder_and_nginx_together()
    {
        // Both sources capped (libtorrent at 4 MB/s for its local peer class; nginx at 256 KB/s after a one-second burst
        // per response, and 256 KiB requests), so neither finishes the 8 MiB before the other has delivered something.
        await using var bed = await DownloadTestBed.CreateAsync(16 * 1024 * 1024, pieceLength: 64 * 1024);
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"), 4_000_000);
        await using var nginx = await NginxServer.StartAsync(bed.Combine("seed"), limitRate: "128k");
        var options = bed.Options("out", seeder.EndPoint);
        var log = new NarSeed.BitTorrent.Tests.Engine.TestLogger();
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = options.OutputDirectory, Peers = options.Peers, WebSeeds = [nginx.BaseUrl + "data.bin"],
            WebSeedDelay = TimeSpan.Zero,
            WebSeed = new() { MaxRequestBytes = 256 * 1024 },
        }, log);
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        (result.BytesFromPeers + result.BytesFromWebSeeds).Should().Be(bed.Torrent.Length);
        result.BytesFromPeers.Should().BePositive($"received {download.BytesReceived} of {bed.Torrent.Length}, seconds {result.Seconds}" + log.ToString());
        result.BytesFromWebSeeds.Should().BePositive($"peers {result.BytesFromPeers}");
    }
}
