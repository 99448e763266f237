using System.Text;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Metainfo;

/// <summary>Mutated .torrent files and magnet links: only the format's own exception, never a crash or a hang.</summary>
public class MetainfoFuzzTests
{
    [Fact]
    public void Mutated_torrents_only_raise_MetainfoException()
    {
        var random = new Random(11);
        var seeds = NegativeTorrents.All().Select(c => c.Torrent).Append(NegativeTorrents.Valid).ToList();
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            var input = seeds[random.Next(seeds.Count)].ToArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            try
            {
                var torrent = TorrentReader.Read(input);
                torrent.ToTorrentFile().Should().NotBeEmpty();
                accepted++;
            }
            catch (MetainfoException e)
            {
                e.Message.Should().Contain(e.Reason.ToString());
            }
        }
        accepted.Should().BeLessThan(5000);
    }

    [Fact]
    public void Mutated_magnets_only_raise_MagnetLinkException()
    {
        var random = new Random(12);
        const string seed = "magnet:?xt=urn:btih:000102030405060708090a0b0c0d0e0f10111213&xt=urn:btmh:1220" +
                            "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd&dn=a%20b&xl=5" +
                            "&tr=udp%3A%2F%2Ft%3A1&ws=https%3A%2F%2Fw%2Fx&x.pe=[::1]:5&x.pe=1.2.3.4:6";
        const string alphabet = "%:=&[].0123456789abcdefxyzABC ";
        for (var i = 0; i < 5000; i++)
        {
            var text = new StringBuilder(seed);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                text[random.Next(text.Length)] = alphabet[random.Next(alphabet.Length)];
            }
            try
            {
                var magnet = MagnetLink.Parse(text.ToString());
                MagnetLink.Parse(magnet.ToString()).ToString().Should().Be(magnet.ToString());
            }
            catch (MagnetLinkException)
            {
            }
        }
    }
}
