using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Download;

namespace NarSeed.BitTorrent.Tests.Interop.Download;

/// <summary>
/// Resume against a real libtorrent 2.0 seeder: what is already on disk (a final file, a part file with or without its
/// resume state) is hash-checked and only what fails is fetched again.
/// </summary>
public sealed class LibtorrentResumeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private const int PieceLength = 64 * 1024;

    private static async Task<string> WriteTorrentAsync(DownloadTestBed bed)
    {
        var path = bed.Combine("data.torrent");
        await File.WriteAllBytesAsync(path, bed.Torrent.ToTorrentFile());
        return path;
    }

    [Fact]
    public async Task A_second_run_into_the_same_directory_checks_the_file_and_fetches_nothing()
    {
        await using var bed = await DownloadTestBed.CreateAsync(6 * 1024 * 1024 + 333, PieceLength);
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"));
        string path;
        await using (var first = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint)))
        {
            var result = await first.RunAsync().WaitAsync(Bound);
            result.BytesFromPeers.Should().Be(bed.Torrent.Length);
            path = result.Path;
        }
        // As after a crash between the rename and the removal of the resume state.
        await File.WriteAllBytesAsync(path + ".resume", [1, 2, 3]);
        var written = File.GetLastWriteTimeUtc(path);

        await using var second = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint));
        var again = await second.RunAsync().WaitAsync(Bound);
        again.Path.Should().Be(path);
        again.BytesAlreadyOnDisk.Should().Be(bed.Torrent.Length);
        again.BytesFromPeers.Should().Be(0);
        second.BytesReceived.Should().Be(0, "a complete, valid file is not fetched again");
        bed.AssertSameAsSource(path);
        File.GetLastWriteTimeUtc(path).Should().Be(written, "a valid file is only read");
        File.Exists(path + ".resume").Should().BeFalse("the stale resume state is removed");
        File.Exists(path + ".part").Should().BeFalse();
    }

    [Fact]
    public async Task Only_the_corrupt_piece_of_a_final_file_is_fetched_and_the_damaged_file_never_keeps_the_final_name()
    {
        await using var bed = await DownloadTestBed.CreateAsync(4 * 1024 * 1024 + 17, PieceLength);
        Directory.CreateDirectory(bed.Combine("out"));
        var final = bed.Combine("out", "data.bin");
        File.Copy(bed.DataPath, final);
        const int corrupt = 37;
        using (var handle = File.OpenHandle(final, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { 0xDE, 0xAD }, (long)corrupt * PieceLength + 999);
        }

        // With no source at all: the check runs, then the run is stopped.
        using (var stop = new CancellationTokenSource())
        {
            await using var offline = new TorrentDownload(bed.Torrent, bed.Options("out"));
            var run = offline.RunAsync(stop.Token);
            await offline.Ready.WaitAsync(Bound);
            offline.BytesAlreadyOnDisk.Should().Be(bed.Torrent.Length - PieceLength);
            File.Exists(final).Should().BeFalse("a file with a bad piece must not keep the final name");
            await stop.CancelAsync();
            await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
        }
        File.Exists(final + ".part").Should().BeTrue();
        File.Exists(final + ".resume").Should().BeTrue();

        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"));
        await using var download = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesAlreadyOnDisk.Should().Be(bed.Torrent.Length - PieceLength);
        result.BytesFromPeers.Should().Be(PieceLength, "only the corrupt piece is fetched");
        download.BytesReceived.Should().Be(PieceLength);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_part_file_without_a_usable_resume_state_is_checked_not_thrown_away(bool damaged)
    {
        await using var bed = await DownloadTestBed.CreateAsync(8 * 1024 * 1024, PieceLength);
        // 4 MB/s: the first run is surely stopped half way.
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"), 4_000_000);
        long firstRun;
        using (var stop = new CancellationTokenSource())
        {
            await using var first = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint));
            var run = first.RunAsync(stop.Token);
            while (first.PiecesVerified < bed.Torrent.PieceCount / 2) await Task.Delay(1).WaitAsync(Bound);
            await stop.CancelAsync();
            await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
            firstRun = first.BytesFromPeers;
        }
        var resume = bed.Combine("out", "data.bin.resume");
        if (damaged)
        {
            var bytes = await File.ReadAllBytesAsync(resume);
            bytes[3] ^= 0xFF;
            await File.WriteAllBytesAsync(resume, bytes);
        }
        else
        {
            File.Delete(resume);
        }

        await using var second = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint));
        var result = await second.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesAlreadyOnDisk.Should().Be(firstRun, "every verified piece in the part file is found by the check");
        result.BytesFromPeers.Should().Be(bed.Torrent.Length - firstRun);
    }

    [Fact]
    public async Task A_magnet_into_a_directory_holding_the_file_fetches_only_metadata_and_hashes()
    {
        await using var bed = await DownloadTestBed.CreateAsync(2 * 1024 * 1024, pieceLength: 16 * 1024);
        Directory.CreateDirectory(bed.Combine("out"));
        File.Copy(bed.DataPath, bed.Combine("out", "data.bin"));
        await using var seeder = await LibtorrentSeeder.StartAsync(await WriteTorrentAsync(bed), bed.Combine("seed"));
        var magnet = MagnetLink.Parse($"magnet:?xt=urn:btmh:1220{bed.Torrent.InfoHashV2Hex}&x.pe=127.0.0.1:{seeder.EndPoint.Port}");
        await using var download = new TorrentDownload(magnet, bed.Options("out"));
        var result = await download.RunAsync().WaitAsync(Bound);
        result.BytesAlreadyOnDisk.Should().Be(bed.Torrent.Length);
        result.BytesFromPeers.Should().Be(0);
        download.BytesReceived.Should().Be(0);
        bed.AssertSameAsSource(result.Path);
    }
}
