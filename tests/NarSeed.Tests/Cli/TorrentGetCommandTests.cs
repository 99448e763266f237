using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

/// <summary>`narseed torrent get` as a real process, with nginx as the web seed.</summary>
public class TorrentGetCommandTests
{
    private static async Task<(TempDirectory Dir, string Data, string Torrent)> MakeAsync(long length)
    {
        var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("seed"));
        var data = dir.Combine("seed", "nar.bin");
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(data, bytes);
        var torrent = await TorrentBuilder.CreateAsync(data, new TorrentCreateOptions { PieceLength = 16 * 1024 });
        var torrentPath = dir.Combine("nar.torrent");
        await File.WriteAllBytesAsync(torrentPath, torrent.ToTorrentFile());
        return (dir, data, torrentPath);
    }

    [Fact]
    public async Task Downloads_from_a_web_seed_and_prints_where_the_bytes_came_from()
    {
        var (dir, data, torrent) = await MakeAsync(3 * 1024 * 1024 + 11);
        using var _ = dir;
        await using var nginx = await NginxServer.StartAsync(dir.Combine("seed"));
        var result = (await NarseedProcess.RunAsync(dir.Path, "torrent", "get", torrent, "-o", dir.Combine("out"),
            "--web-seed", nginx.BaseUrl)).EnsureSuccess("narseed torrent get");
        var json = NarseedProcess.Json(result);
        ((long)json["bytes"]!).Should().Be(new FileInfo(data).Length);
        ((long)json["bytes_from_web_seeds"]!).Should().Be(new FileInfo(data).Length);
        ((long)json["bytes_from_peers"]!).Should().Be(0);
        ((double)json["seconds"]!).Should().BePositive();
        (await File.ReadAllBytesAsync(dir.Combine("out", "nar.bin"))).Should().Equal(await File.ReadAllBytesAsync(data));
        result.StandardError.Should().NotContain("\r", "no progress line when stderr is not a terminal");
    }

    [Fact]
    public async Task A_download_killed_half_way_resumes_without_fetching_its_verified_pieces_again()
    {
        var (dir, data, torrent) = await MakeAsync(16 * 1024 * 1024);
        using var _ = dir;
        var length = new FileInfo(data).Length;
        // --stream fetches in order, so each web-seed connection asks for a 4 MiB range; nginx at 1 MB/s per response
        // (after a 1 MB burst) delivers the first two ranges after about 3 s and the rest about 3 s later. The first
        // run is killed as soon as the resume state records verified pieces.
        await using (var slow = await NginxServer.StartAsync(dir.Combine("seed"), limitRate: "1m"))
        {
            await using var first = RunningProcess.Start(Path.Combine(AppContext.BaseDirectory, "narseed"),
                ["torrent", "get", torrent, "-o", dir.Combine("out"), "--web-seed", slow.BaseUrl, "--stream"], dir.Path);
            var resume = dir.Combine("out", "nar.bin.resume");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!File.Exists(resume) && DateTime.UtcNow < deadline) await Task.Delay(20);
            first.Kill();
        }
        File.Exists(dir.Combine("out", "nar.bin")).Should().BeFalse("the first run was killed before the end");
        File.Exists(dir.Combine("out", "nar.bin.part")).Should().BeTrue();

        await using var nginx = await NginxServer.StartAsync(dir.Combine("seed"));
        var result = (await NarseedProcess.RunAsync(dir.Path, "torrent", "get", torrent, "-o", dir.Combine("out"),
            "--web-seed", nginx.BaseUrl)).EnsureSuccess("narseed torrent get (resumed)");
        var json = NarseedProcess.Json(result);
        var onDisk = (long)json["bytes_already_on_disk"]!;
        onDisk.Should().BePositive("pieces verified before the kill are checked on disk");
        ((long)json["bytes_from_web_seeds"]!).Should().Be(length - onDisk, "verified pieces are not fetched again");
        (await File.ReadAllBytesAsync(dir.Combine("out", "nar.bin"))).Should().Equal(await File.ReadAllBytesAsync(data));
        File.Exists(dir.Combine("out", "nar.bin.resume")).Should().BeFalse();
        ((long)json["bytes_uploaded"]!).Should().Be(0, "a web seed takes nothing");

        // Once more into the same directory: the finished file is checked, nothing is fetched.
        var again = NarseedProcess.Json((await NarseedProcess.RunAsync(dir.Path, "torrent", "get", torrent, "-o",
            dir.Combine("out"), "--web-seed", nginx.BaseUrl)).EnsureSuccess("narseed torrent get (again)"));
        ((long)again["bytes_already_on_disk"]!).Should().Be(length);
        ((long)again["bytes_from_web_seeds"]!).Should().Be(0);
        ((long)again["bytes_from_peers"]!).Should().Be(0);
    }

    [Fact]
    public async Task A_bad_peer_argument_is_a_usage_error()
    {
        var (dir, _, torrent) = await MakeAsync(20000);
        using var __ = dir;
        var result = await NarseedProcess.RunAsync(dir.Path, "torrent", "get", torrent, "-o", dir.Combine("out"), "--peer", "nonsense");
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("--peer 'nonsense'");
    }
}
