using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

public class TorrentCreateCommandTests
{
    [Fact]
    public async Task Writes_NAME_torrent_in_the_current_directory_and_prints_one_json_object()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("test1MB");
        await File.WriteAllBytesAsync(file, new byte[1048576]);

        var result = (await NarseedProcess.RunAsync(dir.Path, "torrent", "create", file, "--piece-length", "65536"))
            .EnsureSuccess("narseed torrent create");
        var json = NarseedProcess.Json(result);

        // bittorrent.md §9.1: libtorrent's v2_only.torrent for 1 MiB of zeros with 64 KiB pieces.
        ((string)json["info_hash_v2"]!).Should().Be("95e04d0c4bad94ab206efa884666fd89777dbe4f7bd9945af1829037a85c6192");
        json["info_hash_v1"].Should().BeNull();
        json.ContainsKey("info_hash_v1").Should().BeTrue();
        ((int)json["piece_length"]!).Should().Be(65536);
        ((string)json["pieces_root"]!).Should().Be("515ea9181744b817744ded9d2e8e9dc6a8450c0b0c52e24b5077f302ffbd9008");
        ((string)json["magnet"]!).Should().StartWith(
            "magnet:?xt=urn:btmh:122095e04d0c4bad94ab206efa884666fd89777dbe4f7bd9945af1829037a85c6192&dn=test1MB");
        ((string)json["torrent_path"]!).Should().Be(dir.Combine("test1MB.torrent"));
        var torrent = TorrentReader.Read(await File.ReadAllBytesAsync(dir.Combine("test1MB.torrent")));
        torrent.InfoHashV2Hex.Should().Be((string)json["info_hash_v2"]!);
    }

    [Fact]
    public async Task Hybrid_with_name_sources_and_output_path()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("data.bin");
        await File.WriteAllBytesAsync(file, new byte[1048576]);
        var output = dir.Combine("out", "x.torrent");
        Directory.CreateDirectory(dir.Combine("out"));

        var result = (await NarseedProcess.RunAsync(dir.Path, "torrent", "create", file, "--hybrid",
                "--piece-length", "65536", "--name", "test1MB", "--web-seed", "https://a.example/n.nar",
                "--web-seed", "https://b.example/n.nar", "--tracker", "udp://127.0.0.1:6969/announce", "-o", output))
            .EnsureSuccess("narseed torrent create --hybrid");
        var json = NarseedProcess.Json(result);

        // §9.1: v2_multipiece_file.torrent (hybrid).
        ((string)json["info_hash_v2"]!).Should().Be("108ac2c3718ce722e6896edc56c4afa98f1d711ecaace7aad74fca418ebd03de");
        ((string)json["info_hash_v1"]!).Should().Be("6c68c1bcc24c65b6fef4724d8234b67e0e9ac6a4");
        ((string)json["torrent_path"]!).Should().Be(output);
        var magnet = MagnetLink.Parse((string)json["magnet"]!);
        magnet.WebSeeds.Should().Equal("https://a.example/n.nar", "https://b.example/n.nar");
        magnet.Trackers.Should().Equal("udp://127.0.0.1:6969/announce");
        var torrent = TorrentReader.Read(await File.ReadAllBytesAsync(output));
        torrent.WebSeeds.Should().Equal("https://a.example/n.nar", "https://b.example/n.nar");
        File.Exists(dir.Combine("test1MB.torrent")).Should().BeFalse();
    }

    [Theory]
    [InlineData("missing.bin")]
    [InlineData("data.bin", "--piece-length", "20000")]
    [InlineData("data.bin", "--name", "../escape")]
    public async Task Bad_input_exits_non_zero_with_a_reason(params string[] arguments)
    {
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(dir.Combine("data.bin"), new byte[100]);
        var result = await NarseedProcess.RunAsync(dir.Path, ["torrent", "create", .. arguments]);
        result.ExitCode.Should().NotBe(0);
        result.StandardError.Should().Contain("narseed: cannot create a torrent");
        result.StandardOutput.Should().BeEmpty();
        Directory.GetFiles(dir.Path, "*.torrent").Should().BeEmpty();
    }
}
