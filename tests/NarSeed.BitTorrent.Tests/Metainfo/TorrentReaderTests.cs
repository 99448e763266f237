using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Interop.Creator;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Metainfo;

public class TorrentReaderTests
{
    [Fact]
    public void The_valid_base_torrent_reads_as_libtorrents_v2_only_vector()
    {
        var torrent = TorrentReader.Read(NegativeTorrents.Valid);
        torrent.InfoHashV2Hex.Should().Be("95e04d0c4bad94ab206efa884666fd89777dbe4f7bd9945af1829037a85c6192");
        torrent.Name.Should().Be("test1MB");
        torrent.PieceCount.Should().Be(16);
        torrent.HasPieceHashes.Should().BeTrue();
        torrent.ToTorrentFile().Should().Equal(NegativeTorrents.Valid);
    }

    [Fact]
    public void A_torrent_without_piece_layers_loads_like_libtorrents_v2_no_piece_layers()
    {
        var valid = System.Text.Encoding.Latin1.GetString(NegativeTorrents.Valid);
        var cut = valid[..valid.IndexOf("12:piece layers", StringComparison.Ordinal)] + "e";
        var torrent = TorrentReader.Read(System.Text.Encoding.Latin1.GetBytes(cut));
        torrent.InfoHashV2Hex.Should().Be("95e04d0c4bad94ab206efa884666fd89777dbe4f7bd9945af1829037a85c6192");
        torrent.HasPieceHashes.Should().BeFalse();
    }

    [Fact]
    public void Every_negative_case_is_rejected_with_its_reason()
    {
        foreach (var c in NegativeTorrents.All())
        {
            var act = () => TorrentReader.Read(c.Torrent);
            act.Should().Throw<MetainfoException>(c.Name).Which.Reason.Should().Be(c.Reason, c.Name);
        }
    }

    [Fact]
    public void Piece_layer_entries_libtorrent_ignores_are_ignored()
    {
        foreach (var c in NegativeTorrents.Tolerated())
        {
            var act = () => TorrentReader.Read(c.Torrent);
            act.Should().NotThrow(c.Name);
        }
    }

    [Fact]
    public async Task Libtorrent_rejects_the_same_cases_when_loading_and_adding()
    {
        using var dir = new TempDirectory();
        var cases = NegativeTorrents.All().Concat(NegativeTorrents.Tolerated()).ToList();
        var paths = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            paths.Add(dir.Combine($"case{i}.torrent"));
            await File.WriteAllBytesAsync(paths[^1], cases[i].Torrent);
        }
        paths.Add(dir.Combine("valid.torrent"));
        await File.WriteAllBytesAsync(paths[^1], NegativeTorrents.Valid);
        var results = await LibtorrentCreator.RunAsync(new { mode = "try_load", torrents = paths, save_path = dir.Path }, TimeSpan.FromSeconds(60));
        ((string?)results[^1]!["error"]).Should().BeNull("libtorrent loads the valid base torrent");
        var disagreements = cases.Select((c, i) => (c, error: (string?)results[i]!["error"]))
            .Where(x => x.c.LibtorrentRejects != (x.error is not null))
            .Select(x => $"{x.c.Name}: libtorrent says {x.error ?? "OK"}");
        disagreements.Should().BeEmpty();
    }
}
