using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Metainfo;

public class TorrentInfoTests
{
    [Fact]
    public void Sources_change_the_file_but_never_the_info_hash()
    {
        var torrent = TorrentReader.Read(NegativeTorrents.Valid);
        var withSources = torrent.WithSources(["https://a.example/x"], [["udp://t1.example:1/announce"], ["http://t2.example/announce"]]);
        withSources.InfoHashV2Hex.Should().Be(torrent.InfoHashV2Hex);
        var reread = TorrentReader.Read(withSources.ToTorrentFile());
        reread.InfoHashV2Hex.Should().Be(torrent.InfoHashV2Hex);
        reread.WebSeeds.Should().Equal("https://a.example/x");
        reread.Trackers.Select(t => t.ToArray()).Should().BeEquivalentTo(new[] { new[] { "udp://t1.example:1/announce" }, new[] { "http://t2.example/announce" } });
        System.Text.Encoding.Latin1.GetString(reread.ToTorrentFile()).Should().StartWith("d8:announce27:udp://t1.example:1/announce13:announce-list");
    }

    [Fact]
    public void Piece_hashes_come_from_the_layer()
    {
        var torrent = TorrentReader.Read(NegativeTorrents.Valid);
        torrent.GetPieceHash(15).ToArray().Should().Equal(torrent.PieceLayer.Span[(15 * 32)..].ToArray());
        var act = () => torrent.GetPieceHash(16).ToArray();
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
