using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>The downloader against NarSeed's own seeder, in process.</summary>
public sealed class SeedEngineDownloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Downloads_from_a_torrent_file()
    {
        await using var bed = await DownloadTestBed.CreateAsync(3 * 1024 * 1024 + 12345, pieceLength: 64 * 1024);
        var peer = await bed.StartSeederAsync();
        await using var download = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesFromPeers.Should().Be(bed.Torrent.Length);
        File.Exists(result.Path + ".part").Should().BeFalse();
        File.Exists(result.Path + ".resume").Should().BeFalse();
    }

    [Fact]
    public async Task Downloads_from_a_v2_magnet_fetching_metadata_and_the_piece_layer()
    {
        await using var bed = await DownloadTestBed.CreateAsync(5 * 1024 * 1024 + 7, pieceLength: 16 * 1024);
        var peer = await bed.StartSeederAsync();
        var magnet = MagnetLink.Parse(new MagnetLink { InfoHashV2 = bed.Torrent.InfoHashV2 }.ToString());
        await using var download = new TorrentDownload(magnet, bed.Options("out", peer));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        download.Torrent!.PieceLayer.ToArray().Should().Equal(bed.Torrent.PieceLayer.ToArray());
    }

    [Fact]
    public async Task A_peer_serving_corrupt_pieces_is_banned_and_the_download_completes_from_the_other()
    {
        await using var bed = await DownloadTestBed.CreateAsync(4 * 1024 * 1024, pieceLength: 32 * 1024);
        var bad = await bed.StartSeederAsync(Enumerable.Range(0, bed.Torrent.PieceCount).ToArray());
        // The good seeder is capped (about 2 s for the file), so the liar surely delivers whole pieces before the end.
        var good = await bed.StartSeederAsync(uploadRateLimit: 2 * 1024 * 1024);
        await using var download = new TorrentDownload(bed.Torrent, bed.Options("out", bad, good));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        download.BannedPeers.Should().Equal(bad);
        result.PeersBanned.Should().Be(1);
    }

    [Fact]
    public async Task A_stopped_download_resumes_without_fetching_its_verified_pieces_again()
    {
        await using var bed = await DownloadTestBed.CreateAsync(8 * 1024 * 1024, pieceLength: 64 * 1024);
        // Slow enough (about 2 s for the file) that the first run is surely stopped half way.
        var peer = await bed.StartSeederAsync(uploadRateLimit: 4 * 1024 * 1024);
        long firstRun;
        using (var stop = new CancellationTokenSource())
        {
            await using var first = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
            var run = first.RunAsync(stop.Token);
            while (first.PiecesVerified < bed.Torrent.PieceCount / 2) await Task.Delay(1);
            await stop.CancelAsync();
            await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
            firstRun = first.BytesFromPeers;
        }
        File.Exists(bed.Combine("out", "data.bin.part")).Should().BeTrue();
        File.Exists(bed.Combine("out", "data.bin.resume")).Should().BeTrue();
        File.Exists(bed.Combine("out", "data.bin")).Should().BeFalse("nothing is final before every piece is verified");

        await using var second = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
        var result = await second.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesAlreadyOnDisk.Should().BeGreaterThanOrEqualTo(bed.Torrent.Length / 2);
        result.BytesAlreadyOnDisk.Should().Be(firstRun);
        second.BytesReceived.Should().BeLessThanOrEqualTo(bed.Torrent.Length - result.BytesAlreadyOnDisk + 64 * 1024 * 4,
            "verified pieces are not fetched again");
        (result.BytesFromPeers + result.BytesAlreadyOnDisk).Should().Be(bed.Torrent.Length);
    }

    [Fact]
    public async Task A_piece_the_resume_state_claims_but_that_is_damaged_on_disk_is_fetched_again()
    {
        await using var bed = await DownloadTestBed.CreateAsync(4 * 1024 * 1024, pieceLength: 64 * 1024);
        var peer = await bed.StartSeederAsync(uploadRateLimit: 2 * 1024 * 1024);
        long firstRun;
        int damaged;
        using (var stop = new CancellationTokenSource())
        {
            await using var first = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
            var run = first.RunAsync(stop.Token);
            while (first.PiecesVerified < bed.Torrent.PieceCount / 2) await Task.Delay(1);
            await stop.CancelAsync();
            await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
            firstRun = first.BytesFromPeers;
            damaged = first.Picker!.Snapshot().ToList().IndexOf(true);
        }
        using (var part = File.OpenHandle(bed.Combine("out", "data.bin.part"), FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(part, new byte[] { 1, 2, 3, 4 }, (long)damaged * bed.Torrent.PieceLength + 5);
        }
        await using var second = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
        var result = await second.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesAlreadyOnDisk.Should().Be(firstRun - bed.Torrent.PieceLength, "the damaged piece no longer counts");
        result.BytesFromPeers.Should().Be(bed.Torrent.Length - result.BytesAlreadyOnDisk);
    }

    [Fact]
    public async Task With_a_part_file_and_a_damaged_final_file_both_are_checked_and_only_the_missing_piece_is_fetched()
    {
        await using var bed = await DownloadTestBed.CreateAsync(4 * 1024 * 1024, pieceLength: 64 * 1024);
        var peer = await bed.StartSeederAsync(uploadRateLimit: 2 * 1024 * 1024);
        int missing;
        using (var stop = new CancellationTokenSource())
        {
            await using var first = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
            var run = first.RunAsync(stop.Token);
            while (first.PiecesVerified < bed.Torrent.PieceCount / 2) await Task.Delay(1);
            await stop.CancelAsync();
            await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
            missing = first.Picker!.Snapshot().ToList().IndexOf(false);
        }
        // A final file too (say, copied in by hand), damaged in a piece the part file lacks.
        var final = bed.Combine("out", "data.bin");
        File.Copy(bed.DataPath, final);
        using (var handle = File.OpenHandle(final, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { 9, 9, 9 }, (long)missing * bed.Torrent.PieceLength);
        }
        await using var second = new TorrentDownload(bed.Torrent, bed.Options("out", peer));
        var result = await second.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesAlreadyOnDisk.Should().Be(bed.Torrent.Length - bed.Torrent.PieceLength);
        result.BytesFromPeers.Should().Be(bed.Torrent.PieceLength, "the final file's good pieces fill the part file");
    }

    [Fact]
    public async Task Streaming_mode_yields_verified_bytes_in_order_while_the_rest_arrives()
    {
        await using var bed = await DownloadTestBed.CreateAsync(6 * 1024 * 1024 + 99, pieceLength: 32 * 1024);
        var peer = await bed.StartSeederAsync();
        var options = bed.Options("out", peer);
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = options.OutputDirectory, Peers = options.Peers, Streaming = true,
        });
        await using var stream = download.OpenStream();
        var run = download.RunAsync();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy).WaitAsync(Bound);
        var result = await run.WaitAsync(Bound);
        copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(bed.DataPath)).Should().BeTrue();
        bed.AssertSameAsSource(result.Path);
    }
}
