using System.Text;
using NarSeed.BitTorrent.Lsd;

namespace NarSeed.BitTorrent.Tests.Lsd;

public class LsdMessageTests
{
    [Fact]
    public void Parses_a_libtorrent_style_announce()
    {
        // BEP 14's format as libtorrent sends it (lsd.cpp): one hash, hex cookie, blank lines at the end.
        var packet = "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 7001\r\n" +
                     "Infohash: cd1f8dba3149b05e9150a50187a5fdccc7250bd5\r\ncookie: fb26f942\r\n\r\n\r\n";
        LsdMessage.TryParse(Encoding.ASCII.GetBytes(packet), out var announcement).Should().BeTrue();
        announcement.Port.Should().Be(7001);
        announcement.Cookie.Should().Be("fb26f942");
        announcement.InfoHashes.Should().ContainSingle().Which.Should().Equal(Convert.FromHexString("cd1f8dba3149b05e9150a50187a5fdccc7250bd5"));
    }

    [Fact]
    public void Packs_many_hashes_into_packets_of_at_most_1400_bytes_and_reads_them_all_back()
    {
        var hashes = Enumerable.Range(0, 100).Select(i => (ReadOnlyMemory<byte>)Enumerable.Repeat((byte)i, 20).ToArray()).ToList();
        var packets = LsdMessage.Format("[ff15::efc0:988f]:6771", 6881, hashes, "0123abcd");
        packets.Should().OnlyContain(p => p.Length <= LsdOptions.MaxPacketLength);
        packets.Count.Should().Be((100 + LsdMessage.Capacity("[ff15::efc0:988f]:6771", 6881, "0123abcd") - 1)
                                  / LsdMessage.Capacity("[ff15::efc0:988f]:6771", 6881, "0123abcd"));
        packets.Count.Should().BeLessThan(10, "several Infohash lines share a packet");
        var read = new List<byte[]>();
        foreach (var packet in packets)
        {
            LsdMessage.TryParse(packet, out var a).Should().BeTrue();
            a.Port.Should().Be(6881);
            a.Cookie.Should().Be("0123abcd");
            read.AddRange(a.InfoHashes);
        }
        read.Select(Convert.ToHexString).Should().Equal(hashes.Select(h => Convert.ToHexString(h.Span)));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nPort: 1\r\nInfohash: cd1f8dba3149b05e9150a50187a5fdccc7250bd5\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: cd1f8dba3149b05e9150a50187a5fdccc7250bd5\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 70000\r\nInfohash: cd1f8dba3149b05e9150a50187a5fdccc7250bd5\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nInfohash: cd1f8dba3149b05e9150a50187a5fdccc7250bd5\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: not-hex\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nno colon here\r\n\r\n")]
    [InlineData("")]
    public void Refuses_malformed_packets(string packet)
    {
        LsdMessage.TryParse(Encoding.Latin1.GetBytes(packet), out _).Should().BeFalse();
    }

    [Fact]
    public void Refuses_random_bytes_without_throwing()
    {
        var random = new Random(14);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 3000)];
            random.NextBytes(bytes);
            LsdMessage.TryParse(bytes, out _).Should().BeFalse();
        }
    }
}
