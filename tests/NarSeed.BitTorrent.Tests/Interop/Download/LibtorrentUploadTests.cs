using System.Globalization;
using System.Net;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Tests.Download;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Download;

/// <summary>NarSeed's downloader uploads the pieces it has verified to a real libtorrent 2.0 leecher while it downloads.</summary>
public sealed class LibtorrentUploadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_libtorrent_leecher_gets_verified_pieces_from_a_downloader_while_it_downloads()
    {
        const int pieceLength = 64 * 1024;
        await using var bed = await DownloadTestBed.CreateAsync(4 * 1024 * 1024, pieceLength);
        var torrentPath = bed.Combine("data.torrent");
        await File.WriteAllBytesAsync(torrentPath, bed.Torrent.ToTorrentFile());
        // The seeder at 1 MB/s: the download takes about four seconds, time for the leecher to fetch from it.
        await using var seeder = await LibtorrentSeeder.StartAsync(torrentPath, bed.Combine("seed"), 1_000_000);
        Directory.CreateDirectory(bed.Combine("leech"));
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "Download", "lt_download_leech.py");
        await using var leecher = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython),
            [script, torrentPath, bed.Combine("leech")], redirectInput: true);
        var listening = await leecher.WaitForOutputLineAsync(l => l.StartsWith("LISTENING ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var leecherEndPoint = new IPEndPoint(IPAddress.Loopback, int.Parse(listening["LISTENING ".Length..], CultureInfo.InvariantCulture));

        await using var download = new TorrentDownload(bed.Torrent, bed.Options("out", seeder.EndPoint, leecherEndPoint));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesFromPeers.Should().Be(bed.Torrent.Length, "the leecher has nothing to give");

        leecher.Process.StandardInput.Close();
        var got = (await leecher.WaitForOutputLineAsync(l => l.StartsWith("GOT ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)))
            .Split(' ');
        var pieces = int.Parse(got[1], CultureInfo.InvariantCulture);
        var incoming = long.Parse(got[2], CultureInfo.InvariantCulture);
        var outgoing = long.Parse(got[3], CultureInfo.InvariantCulture);
        pieces.Should().BePositive("libtorrent verified pieces it got from the downloader");
        incoming.Should().BeGreaterThanOrEqualTo((long)pieces * pieceLength);
        outgoing.Should().Be(0, "the leecher dials nobody, so everything came over the downloader's connection");
        download.BytesUploaded.Should().BeGreaterThanOrEqualTo((long)pieces * pieceLength);
    }
}
