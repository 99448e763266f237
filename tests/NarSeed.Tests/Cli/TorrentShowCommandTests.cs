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

    [Fact]
    public async Task Shows_a_v1_only_torrent_with_null_v2_fields()
    {
        using var dir = new TempDirectory();
        // 20,000 bytes in pieces of 7,000 (v1 has no power-of-two rule): 3 SHA-1 hashes.
        var info = "d6:lengthi20000e4:name6:v1.nar12:piece lengthi7000e6:pieces60:" + new string('B', 60) + "e";
        await File.WriteAllTextAsync(dir.Combine("v1.torrent"), $"d8:announce21:http://t.example/anno4:info{info}e");

        var shown = NarseedProcess.Json((await NarseedProcess.RunAsync(dir.Path, "torrent", "show", "v1.torrent")).EnsureSuccess("show"));

        var v1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.ASCII.GetBytes(info)));
        ((string?)shown["info_hash_v1"]).Should().Be(v1);
        shown["info_hash_v2"].Should().BeNull();
        shown["pieces_root"].Should().BeNull();
        ((int)shown["piece_length"]!).Should().Be(7000);
        ((string)shown["name"]!).Should().Be("v1.nar");
        ((long)shown["length"]!).Should().Be(20_000);
        ((string)shown["magnet"]!).Should().Contain("xt=urn:btih:" + v1).And.NotContain("btmh");
        shown["trackers"]!.AsArray().Select(x => (string)x!).Should().Equal("http://t.example/anno");
    }

    [Theory]
    // piece length 1000: not a power of two (libtorrent: torrent_missing_piece_length).
    [InlineData("d4:infod9:file treed1:ad0:d6:lengthi5e11:pieces root32:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAeee12:meta versioni2e4:name1:a12:piece lengthi1000eee", "InvalidPieceLength")]
    [InlineData("d4:infod4:name1:ae", "InvalidBencoding")]
    [InlineData("not a torrent", "InvalidBencoding")]
    // v1-only with two piece hashes for a one-piece file.
    [InlineData("d4:infod6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces40:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAee", "InvalidV1Pieces")]
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
