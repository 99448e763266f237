using System.Buffers.Binary;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Tests.Trackers;

public class UdpTrackerPacketTests
{
    [Fact]
    public void Requests_have_BEP_15_layout()
    {
        var connect = UdpTrackerPacket.Connect(0xdeadbeef);
        Convert.ToHexStringLower(connect).Should().Be("0000041727101980" + "00000000" + "deadbeef");
        var request = new AnnounceRequest
        {
            InfoHash = Enumerable.Repeat((byte)0xaa, 20).ToArray(), PeerId = Enumerable.Repeat((byte)0xbb, 20).ToArray(),
            Port = 6881, Downloaded = 1, Left = 2, Uploaded = 3, Event = TrackerEvent.Stopped, Key = 7, NumWant = -1,
        };
        var announce = UdpTrackerPacket.Announce(0x0102030405060708, 9, request);
        announce.Should().HaveCount(98);
        BinaryPrimitives.ReadUInt64BigEndian(announce).Should().Be(0x0102030405060708);
        BinaryPrimitives.ReadUInt32BigEndian(announce.AsSpan(8)).Should().Be(1);
        announce.AsSpan(16, 20).ToArray().Should().OnlyContain(b => b == 0xaa);
        BinaryPrimitives.ReadInt64BigEndian(announce.AsSpan(56)).Should().Be(1);
        BinaryPrimitives.ReadInt64BigEndian(announce.AsSpan(64)).Should().Be(2);
        BinaryPrimitives.ReadInt64BigEndian(announce.AsSpan(72)).Should().Be(3);
        BinaryPrimitives.ReadUInt32BigEndian(announce.AsSpan(80)).Should().Be(3);
        BinaryPrimitives.ReadInt32BigEndian(announce.AsSpan(92)).Should().Be(-1);
        BinaryPrimitives.ReadUInt16BigEndian(announce.AsSpan(96)).Should().Be(6881);
        UdpTrackerPacket.Scrape(1, 2, Enumerable.Repeat((ReadOnlyMemory<byte>)new byte[20], 74).ToList()).Should().HaveCount(16 + 74 * 20);
        var tooMany = () => UdpTrackerPacket.Scrape(1, 2, Enumerable.Repeat((ReadOnlyMemory<byte>)new byte[20], 75).ToList());
        tooMany.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Reads_scrape_replies_in_request_order_and_refuses_short_ones()
    {
        var hashes = new List<ReadOnlyMemory<byte>> { new byte[20], Enumerable.Repeat((byte)1, 20).ToArray() };
        var reply = new byte[8 + 24];
        BinaryPrimitives.WriteUInt32BigEndian(reply, 2);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), 5);  // seeders
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(12), 6); // completed
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), 7); // leechers
        var read = UdpTrackerPacket.ReadScrape(reply, hashes);
        read[new string('0', 40)].Should().Be(new ScrapeEntry(5, 7, 6));
        var act = () => UdpTrackerPacket.ReadScrape(reply.AsSpan(0, 20).ToArray(), hashes);
        act.Should().Throw<TrackerException>().Which.Reason.Should().Be(TrackerErrorReason.TruncatedPacket);
    }

    [Fact]
    public void Random_replies_never_throw_anything_but_TrackerException()
    {
        var random = new Random(16);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4) bytes[3] = (byte)random.Next(4);
            if (bytes.Length >= 1) bytes[0] = 0;
            try
            {
                UdpTrackerPacket.ReadAnnounce(bytes, ipv6: i % 2 == 0, TrackerLimits.Default);
            }
            catch (TrackerException)
            {
            }
        }
    }
}
