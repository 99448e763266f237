using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Download;
using NarSeed.BitTorrent.Tests.Interop.Creator;
using NarSeed.BitTorrent.Tests.Interop.Seeding;
using NarSeed.TestSupport;
using Xunit.Abstractions;

namespace NarSeed.BitTorrent.Tests.Interop.Download;

/// <summary>
/// Single-file v1-only (BEP 3) torrents made by real libtorrent 2.0 (create_torrent flag v1_only, creation date
/// dropped): our reader agrees with libtorrent's loader, our downloader fetches them (SHA-1 verified) from a libtorrent
/// seeder and from our own, and libtorrent fetches them from our seeder.
/// </summary>
[Collection("interop")]
public sealed class V1OnlyTorrentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>libtorrent makes a v1-only .torrent for <paramref name="dir"/>/<paramref name="name"/>; returns its bytes.</summary>
    private static async Task<byte[][]> CreateWithLibtorrentAsync(string dir, params (string Name, long Size, int PieceLength)[] files)
    {
        var jobs = files.Select(f => new
        {
            name = f.Name, size = f.Size, piece_length = f.PieceLength, hybrid = false, v1_only = true,
            trackers = Array.Empty<string>(), web_seeds = Array.Empty<string>(), dir,
        }).ToArray();
        var made = await LibtorrentCreator.RunAsync(new { mode = "create", jobs }, TimeSpan.FromSeconds(60));
        return made.Select(m => Convert.FromHexString((string)m!["torrent"]!)).ToArray();
    }

    [Fact]
    public async Task Libtorrents_v1_only_torrents_read_to_the_same_hash_name_length_and_pieces()
    {
        using var dir = new TempDirectory();
        // Sizes around the 16 KiB block and a default-table size; then piece lengths v2 would refuse: 48 KiB (not a
        // power of two) and 8 KiB (below a block). libtorrent's creator takes powers of two and multiples of 16 KiB.
        (string, long, int)[] files =
        [
            ("one.bin", 1, 0), ("block-1.bin", 16_383, 0), ("block+1.bin", 16_385, 0), ("mib+1.bin", 1024 * 1024 + 1, 0),
            ("small-piece.bin", 100_000, 8192), ("odd-piece.bin", 100_000, 48 * 1024),
        ];
        foreach (var (name, size, _) in files) DownloadTestBed.WriteRandom(dir.Combine(name), size, (int)size);
        var torrents = await CreateWithLibtorrentAsync(dir.Path, files);
        var paths = torrents.Select((t, i) => dir.Combine($"{i}.torrent")).ToArray();
        for (var i = 0; i < paths.Length; i++) await File.WriteAllBytesAsync(paths[i], torrents[i]);
        var loaded = await LibtorrentCreator.RunAsync(new { mode = "load", torrents = paths }, TimeSpan.FromSeconds(60));

        for (var i = 0; i < files.Length; i++)
        {
            var ours = TorrentReader.Read(torrents[i]);
            var lt = loaded[i]!;
            var because = files[i].Item1;
            ((string?)lt["v2"]).Should().BeNull(because);
            ours.Version.Should().Be(TorrentVersion.V1Only, because);
            ours.InfoHashV1Hex.Should().Be((string)lt["v1"]!, because);
            ours.InfoHashV1Hex.Should().Be(Convert.ToHexStringLower(SHA1.HashData(ours.RawInfo.Span)), because);
            ours.Name.Should().Be((string)lt["name"]!, because);
            ours.Length.Should().Be((long)lt["file_size"]!, because);
            ours.PieceLength.Should().Be((int)lt["piece_length"]!, because);
            ours.PieceCount.Should().Be((int)lt["num_pieces"]!, because);
            ours.InfoHashV2Hex.Should().BeNull(because);
            ours.PiecesRootHex.Should().BeNull(because);
            ours.HasPieceHashes.Should().BeTrue(because);
            ours.Invoking(t => t.InfoHashV2).Should().Throw<InvalidOperationException>(because);
            ours.ToTorrentFile().Should().Equal(torrents[i], because + ": written back byte for byte");
            ours.ToMagnetLink().ToString().Should().Contain("xt=urn:btih:" + ours.InfoHashV1Hex).And.NotContain("btmh");
        }
        TorrentReader.Read(torrents[^1]).PieceLength.Should().Be(48 * 1024, "libtorrent keeps a v1-only piece length as given");
    }

    [Fact]
    public async Task Downloads_from_a_libtorrent_seeder_by_torrent_file_and_by_btih_magnet()
    {
        // 48 KiB pieces (not a power of two, so there is no v2 tree to lean on): 68 pieces, the last one short.
        await using var bed = await DownloadTestBed.CreateAsync(3 * 1024 * 1024 + 7);
        var file = (await CreateWithLibtorrentAsync(bed.Combine("seed"), ("data.bin", bed.Torrent.Length, 48 * 1024)))[0];
        var torrentPath = bed.Combine("v1.torrent");
        await File.WriteAllBytesAsync(torrentPath, file);
        var v1 = TorrentReader.Read(file);
        await using var seeder = await LibtorrentSeeder.StartAsync(torrentPath, bed.Combine("seed"));

        await using (var download = new TorrentDownload(v1, bed.Options("from-torrent", seeder.EndPoint)))
        {
            var result = await download.RunAsync().WaitAsync(Bound);
            bed.AssertSameAsSource(result.Path);
            result.BytesFromPeers.Should().Be(v1.Length);
        }

        var magnet = MagnetLink.Parse($"magnet:?xt=urn:btih:{v1.InfoHashV1Hex}&x.pe=127.0.0.1:{seeder.EndPoint.Port}");
        await using (var download = new TorrentDownload(magnet, bed.Options("from-magnet")))
        {
            var result = await download.RunAsync().WaitAsync(Bound);
            bed.AssertSameAsSource(result.Path);
            download.Torrent!.Version.Should().Be(TorrentVersion.V1Only);
            download.Torrent.RawInfo.ToArray().Should().Equal(v1.RawInfo.ToArray());
        }
    }

    [Fact]
    public async Task A_hybrid_fetched_by_its_btih_magnet_from_libtorrent_is_verified_with_sha1()
    {
        // The connection uses the v1 hash, so libtorrent would drop us for a hash request: the pieces are checked
        // against the hybrid's v1 pieces instead of waiting for a piece layer that cannot come.
        await using var bed = await DownloadTestBed.CreateAsync(2 * 1024 * 1024 + 9, pieceLength: 16 * 1024, hybrid: true);
        var torrentPath = bed.Combine("hybrid.torrent");
        await File.WriteAllBytesAsync(torrentPath, bed.Torrent.ToTorrentFile());
        await using var seeder = await LibtorrentSeeder.StartAsync(torrentPath, bed.Combine("seed"));
        var magnet = MagnetLink.Parse($"magnet:?xt=urn:btih:{bed.Torrent.InfoHashV1Hex}&x.pe=127.0.0.1:{seeder.EndPoint.Port}");
        await using var download = new TorrentDownload(magnet, bed.Options("out"));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        download.Torrent!.Version.Should().Be(TorrentVersion.Hybrid);
        download.Torrent.HasPieceHashes.Should().BeFalse("no piece layer was fetched");
    }

    [Fact]
    public async Task Downloads_from_our_seeder_and_bans_a_peer_serving_corrupt_v1_pieces()
    {
        // 8 KiB pieces: every request is a whole piece, smaller than a 16 KiB block.
        await using var bed = await DownloadTestBed.CreateAsync(2 * 1024 * 1024 + 100);
        var file = (await CreateWithLibtorrentAsync(bed.Combine("seed"), ("data.bin", bed.Torrent.Length, 8192)))[0];
        bed.UseTorrent(TorrentReader.Read(file));
        bed.Torrent.Version.Should().Be(TorrentVersion.V1Only);

        var alone = await bed.StartSeederAsync();
        await using (var download = new TorrentDownload(bed.Torrent, bed.Options("alone", alone)))
        {
            var result = await download.RunAsync().WaitAsync(Bound);
            bed.AssertSameAsSource(result.Path);
        }

        // Run again over the finished file with one piece damaged: the SHA-1 check finds it, only it is fetched.
        using (var handle = File.OpenHandle(bed.Combine("alone", "data.bin"), FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { 0x5A }, 100L * 8192 + 7);
        }
        await using (var again = new TorrentDownload(bed.Torrent, bed.Options("alone", alone)))
        {
            var result = await again.RunAsync().WaitAsync(Bound);
            bed.AssertSameAsSource(result.Path);
            result.BytesFromPeers.Should().Be(8192);
            result.BytesAlreadyOnDisk.Should().Be(bed.Torrent.Length - 8192);
        }

        var bad = await bed.StartSeederAsync(Enumerable.Range(0, bed.Torrent.PieceCount).ToArray());
        var good = await bed.StartSeederAsync(uploadRateLimit: 2 * 1024 * 1024);
        var magnet = new MagnetLink { InfoHashV1 = bed.Torrent.InfoHashV1 };
        await using (var download = new TorrentDownload(magnet, bed.Options("with-liar", bad, good)))
        {
            var result = await download.RunAsync().WaitAsync(Bound);
            bed.AssertSameAsSource(result.Path);
            download.BannedPeers.Should().Equal(bad);
            result.PeersBanned.Should().Be(1);
        }
    }

    [Fact]
    public async Task Libtorrent_downloads_a_v1_only_torrent_from_our_seeder_by_file_and_by_btih_magnet()
    {
        await using var bed = await SeedingTestBed.StartAsync();
        var data = bed.WriteData("v1.bin", 700_001, seed: 5);
        var file = (await CreateWithLibtorrentAsync(bed.Directory, ("v1.bin", 700_001, 48 * 1024)))[0];
        await File.WriteAllBytesAsync(data + ".torrent", file);
        var torrent = TorrentReader.Read(file);
        bed.Engine.Register(SeedTorrent.FromTorrentInfo(torrent, data));

        var byMagnet = bed.TorrentJob(data + ".torrent", "magnet");
        byMagnet.Remove("torrent");
        byMagnet["magnet"] = $"magnet:?xt=urn:btih:{torrent.InfoHashV1Hex}&dn=v1.bin";
        await Seeding.LibtorrentDownloadTests.RunAsync(bed, [], [bed.TorrentJob(data + ".torrent", "leech"), byMagnet], output);
        bed.Engine.MetadataPiecesServed.Should().BeGreaterThan(0, "the magnet's metadata came from us");
        bed.Engine.HashRepliesServed.Should().Be(0);
        bed.Engine.HashRequestsRejected.Should().Be(0, "nobody asks for v2 hashes on a v1 connection");
    }
}
