using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

public class TorrentShowCommandTests
{
    [Fact]
    public async Task Shows_what_create_wrote_plus_name_length_and_sources()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("abc.nar");
        var data = new byte[200_000];
        new Random(9).NextBytes(data);
        await File.WriteAllBytesAsync(file, data);
        var created = NarseedProcess.Json((await NarseedProcess.RunAsync(dir.Path, "torrent", "create", file, "--hybrid",
            "--web-seed", "https://cache.example/nar/abc.nar", "--tracker", "http://t.example/announce",
            "--tracker", "udp://u.example:1/announce")).EnsureSuccess("create"));

        var shown = NarseedProcess.Json((await NarseedProcess.RunAsync(dir.Path, "torrent", "show", "abc.nar.torrent"))
            .EnsureSuccess("show"));

        foreach (var key in new[] { "info_hash_v2", "info_hash_v1", "piece_length", "pieces_root", "magnet", "torrent_path" })
        {
            shown[key]!.ToJsonString().Should().Be(created[key]!.ToJsonString(), key);
        }
        ((string)shown["name"]!).Should().Be("abc.nar");
        ((long)shown["length"]!).Should().Be(200_000);
        shown["web_seeds"]!.AsArray().Select(x => (string)x!).Should().Equal("https://cache.example/nar/abc.nar");
        shown["trackers"]!.AsArray().Select(x => (string)x!).Should().Equal("http://t.example/announce", "udp://u.example:1/announce");
    }

    [Theory]
    // piece length 1000: not a power of two (libtorrent: torrent_missing_piece_length).
    [InlineData("d4:infod9:file treed1:ad0:d6:lengthi5e11:pieces root32:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAeee12:meta versioni2e4:name1:a12:piece lengthi1000eee", "InvalidPieceLength")]
    [InlineData("d4:infod4:name1:ae", "InvalidBencoding")]
    [InlineData("not a torrent", "InvalidBencoding")]
    [InlineData("d4:infod6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces20:AAAAAAAAAAAAAAAAAAAAee", "NotV2")]
    public async Task An_invalid_torrent_exits_non_zero_with_the_reason(string content, string reason)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("bad.torrent"), content);
        var result = await NarseedProcess.RunAsync(dir.Path, "torrent", "show", "bad.torrent");
        result.ExitCode.Should().NotBe(0);
        result.StandardError.Should().Contain(reason);
        result.StandardOutput.Should().BeEmpty();
    }
}
