using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Metainfo;

public class TorrentBuilderTests
{
    [Fact]
    public async Task V2_only_has_no_v1_hash_and_hybrid_has_both()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("test1MB");
        await File.WriteAllBytesAsync(path, new byte[1048576]);
        var v2 = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { PieceLength = 65536 });
        v2.InfoHashV1.Should().BeNull();
        v2.InfoHashV1Hex.Should().BeNull();
        v2.IsHybrid.Should().BeFalse();
        // bittorrent.md §9.1: libtorrent's v2_only.torrent (1 MiB of zeros, P = 64 KiB).
        v2.InfoHashV2Hex.Should().Be("95e04d0c4bad94ab206efa884666fd89777dbe4f7bd9945af1829037a85c6192");
        Convert.ToHexStringLower(v2.TruncatedInfoHashV2.Span).Should().Be("95e04d0c4bad94ab206efa884666fd89777dbe4f");
        v2.PiecesRootHex.Should().Be("515ea9181744b817744ded9d2e8e9dc6a8450c0b0c52e24b5077f302ffbd9008");
        v2.PieceLayer.Length.Should().Be(16 * 32);

        var hybrid = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { PieceLength = 65536, Hybrid = true });
        // §9.1: v2_multipiece_file.torrent.
        hybrid.InfoHashV2Hex.Should().Be("108ac2c3718ce722e6896edc56c4afa98f1d711ecaace7aad74fca418ebd03de");
        hybrid.InfoHashV1Hex.Should().Be("6c68c1bcc24c65b6fef4724d8234b67e0e9ac6a4");
    }

    [Fact]
    public async Task One_piece_hybrid_matches_libtorrents_v2_torrent_vector()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("test64K");
        await File.WriteAllBytesAsync(path, new byte[65536]);
        var hybrid = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { Hybrid = true, PieceLength = 65536 });
        // §9.1: v2.torrent (hybrid, one piece, empty piece layers; v1 pieces = SHA-1 of 64 KiB of zeros).
        hybrid.InfoHashV2Hex.Should().Be("597b180c1a170a585dfc5e85d834d69013ceda174b8f357d5bb1a0ca509faf0a");
        hybrid.InfoHashV1Hex.Should().Be("c14199bbec64d0e9e439aa3b6b7639e666b86eca");
        Convert.ToHexStringLower(hybrid.V1Pieces.Span).Should().Be("1adc95bebe9eea8c112d40cd04ab7a8d75c4f961");
        hybrid.PieceLayer.IsEmpty.Should().BeTrue();
        hybrid.HasPieceHashes.Should().BeTrue();
        hybrid.GetPieceHash(0).ToArray().Should().Equal(hybrid.PiecesRoot.ToArray());
        System.Text.Encoding.Latin1.GetString(hybrid.ToTorrentFile()).Should().EndWith("12:piece layersdee");
    }

    [Fact]
    public async Task Name_option_overrides_the_file_name_and_bad_names_are_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("file.bin");
        await File.WriteAllBytesAsync(path, new byte[10]);
        (await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { Name = "x.nar" })).Name.Should().Be("x.nar");
        var act = () => TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { Name = "../x" });
        await act.Should().ThrowAsync<ArgumentException>();
        var badPiece = () => TorrentBuilder.CreateAsync(path, new TorrentCreateOptions { PieceLength = 20000 });
        await badPiece.Should().ThrowAsync<ArgumentOutOfRangeException>();
        await File.WriteAllBytesAsync(dir.Combine("empty"), []);
        var empty = () => TorrentBuilder.CreateAsync(dir.Combine("empty"));
        await empty.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public void Piece_length_table_follows_libtorrent_rows()
    {
        PieceLengthTable.For(1).Should().Be(16384);
        PieceLengthTable.For(2_684_355).Should().Be(16384);
        PieceLengthTable.For(2_684_356).Should().Be(32768);
        PieceLengthTable.For(703_687_441_777).Should().Be(8 << 20);
        PieceLengthTable.For(703_687_441_778).Should().Be(16 << 20);
    }
}
