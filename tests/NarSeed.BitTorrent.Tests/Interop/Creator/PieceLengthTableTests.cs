using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Interop.Creator;

public class PieceLengthTableTests
{
    [Fact]
    public async Task Matches_libtorrent_on_both_sides_of_every_boundary_up_to_1_TB()
    {
        var sizes = new List<long> { 1, 16_384, 1_000_000_000_000, 1_099_511_627_776 };
        foreach (var bound in PieceLengthTable.Boundaries) sizes.AddRange([bound - 1, bound, bound + 1]);
        // libtorrent picks from a file_storage of the given size, without any file data (one python call).
        var libtorrent = await LibtorrentCreator.RunAsync(new { mode = "piece_lengths", sizes }, TimeSpan.FromSeconds(60));
        libtorrent.Should().HaveCount(sizes.Count);
        for (var i = 0; i < sizes.Count; i++)
        {
            PieceLengthTable.For(sizes[i]).Should().Be((int)libtorrent[i]!, $"total size {sizes[i]}");
        }
        libtorrent.Select(x => (int)x!).Distinct().Should().HaveCount(11, "every row of the table is exercised");
    }
}
