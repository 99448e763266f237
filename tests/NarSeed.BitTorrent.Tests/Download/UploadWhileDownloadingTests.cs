using NarSeed.BitTorrent.Engine.Download;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>The downloader's upload side against a scripted leecher: only verified pieces are served, the rest rejected.</summary>
public sealed class UploadWhileDownloadingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serves_verified_pieces_rejects_missing_ones_and_hangs_up_on_a_request_outside_the_torrent()
    {
        const int pieceLength = 64 * 1024;
        await using var bed = await DownloadTestBed.CreateAsync(2 * 1024 * 1024, pieceLength);
        // A final file with one damaged piece: after the check the download has every other piece and no source.
        Directory.CreateDirectory(bed.Combine("out"));
        File.Copy(bed.DataPath, bed.Combine("out", "data.bin"));
        const int missing = 7;
        using (var handle = File.OpenHandle(bed.Combine("out", "data.bin"), FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { 0x42 }, (long)missing * pieceLength + 3);
        }
        await using var leecher = new RequestingPeer(bed.Torrent, missing);
        using var stop = new CancellationTokenSource();
        await using var download = new TorrentDownload(bed.Torrent, bed.Options("out", leecher.EndPoint));
        var run = download.RunAsync(stop.Token);

        await leecher.Done.WaitAsync(Bound);
        leecher.Haves.Should().HaveCount(bed.Torrent.PieceCount - 1).And.NotContain(missing);
        var (piece, block) = leecher.Served!.Value;
        var expected = new byte[block.Length];
        using (var source = File.OpenHandle(bed.DataPath))
        {
            RandomAccess.Read(source, expected, (long)piece * pieceLength + 16 * 1024);
        }
        block.Should().Equal(expected, "the block is the verified data");
        leecher.Rejected.Should().Equal((uint)missing);
        download.BytesUploaded.Should().Be(16 * 1024);

        await stop.CancelAsync();
        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();
    }
}
