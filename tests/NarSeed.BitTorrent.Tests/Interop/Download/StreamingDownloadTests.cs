using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Tests.Download;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Download;

/// <summary>Streaming mode with nginx as the web seed: the reader gets the file's beginning long before its end arrives.</summary>
public sealed class StreamingDownloadTests
{
    [Fact]
    public async Task A_reader_gets_verified_bytes_from_the_start_while_the_rest_arrives()
    {
        await using var bed = await DownloadTestBed.CreateAsync(4 * 1024 * 1024, pieceLength: 16 * 1024);
        // 1 MB/s per response after a 1 MB burst: the 4 MiB file takes a couple of seconds.
        await using var nginx = await NginxServer.StartAsync(bed.Combine("seed"), limitRate: "1m");
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = bed.Combine("out"), WebSeeds = [nginx.BaseUrl], Streaming = true,
        });
        await using var stream = download.OpenStream();
        var run = download.RunAsync();
        var head = new byte[256 * 1024];
        await stream.ReadExactlyAsync(head).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        run.IsCompleted.Should().BeFalse("the beginning is readable before the whole file is in");
        download.PiecesVerified.Should().BeLessThan(bed.Torrent.PieceCount);
        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest).WaitAsync(TimeSpan.FromSeconds(60));
        var all = head.Concat(rest.ToArray()).ToArray();
        all.AsSpan().SequenceEqual(File.ReadAllBytes(bed.DataPath)).Should().BeTrue();
        bed.AssertSameAsSource((await run.WaitAsync(TimeSpan.FromSeconds(60))).Path);
    }
}
