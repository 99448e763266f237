using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Wire;

public class AllowedFastSetTests
{
    // BEP 6 (bep_0006.rst) example: 1313 pieces, info-hash 0xAA × 20, peer 80.4.4.200 (bittorrent.md §9.4).
    [Fact]
    public void Reproduces_the_BEP6_vector()
    {
        var hash = Enumerable.Repeat((byte)0xAA, 20).ToArray();
        byte[] ip = [80, 4, 4, 200];
        AllowedFastSet.Generate(ip, hash, 1313, 7).Should().Equal(1059u, 431u, 808u, 1217u, 287u, 376u, 1188u);
        AllowedFastSet.Generate(ip, hash, 1313, 9).Should().Equal(1059u, 431u, 808u, 1217u, 287u, 376u, 1188u, 353u, 508u);
    }

    [Fact]
    public void Never_asks_for_more_indices_than_pieces()
    {
        AllowedFastSet.Generate([10, 0, 0, 1], new byte[20], 3, 10).Should().HaveCount(3).And.OnlyHaveUniqueItems();
    }
}
