using System.Net;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Pex;

namespace NarSeed.BitTorrent.Tests.Pex;

public class PexMessageTests
{
    private static IPEndPoint Ep(string text) => IPEndPoint.Parse(text);

    [Fact]
    public void Round_trips_added_flags_and_dropped_for_both_families()
    {
        var message = new PexMessage(
            [new PexPeer(Ep("10.0.0.1:6881"), PexFlags.Seed | PexFlags.Reachable), new PexPeer(Ep("[2001:db8::1]:51413"), PexFlags.SupportsUtp)],
            [Ep("10.0.0.2:1234"), Ep("[2001:db8::2]:80")]);
        var bytes = message.Encode();
        var parsed = PexMessage.Parse(bytes);
        parsed.Added.Should().Equal(message.Added);
        parsed.Dropped.Should().Equal(message.Dropped);
    }

    [Fact]
    public void Encodes_the_BEP_11_keys_in_canonical_order()
    {
        var bytes = new PexMessage([new PexPeer(Ep("1.2.3.4:258"), PexFlags.Seed)], []).Encode();
        // BEP 11: added = 4-byte IP + 2-byte port, added.f = one flag byte per peer.
        System.Text.Encoding.Latin1.GetString(bytes).Should().Be(
            "d5:added6:\u0001\u0002\u0003\u0004\u0001\u00027:added.f1:\u00026:added60:8:added6.f0:7:dropped0:8:dropped60:e");
        BencodeValue.Parse(bytes).Should().BeOfType<BencodeDictionary>();
    }

    [Theory]
    [InlineData("d5:added5:abcdee", PexErrorReason.InvalidCompactList)]
    [InlineData("d7:dropped7:abcdefge", PexErrorReason.InvalidCompactList)]
    [InlineData("not bencode", PexErrorReason.MalformedBencode)]
    [InlineData("li1ee", PexErrorReason.MalformedBencode)]
    public void Refuses_malformed_messages(string text, PexErrorReason reason)
    {
        var act = () => PexMessage.Parse(System.Text.Encoding.Latin1.GetBytes(text));
        act.Should().Throw<PexFormatException>().Which.Reason.Should().Be(reason);
    }

    [Fact]
    public void Keeps_at_most_the_receive_limit_and_tolerates_missing_flags()
    {
        var compact = new byte[300 * 6];
        for (var i = 0; i < 300; i++)
        {
            compact[i * 6] = 10;
            compact[i * 6 + 3] = (byte)i;
            compact[i * 6 + 5] = 1;
        }
        var bytes = BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary();
            w.WriteKey("added");
            w.WriteString(compact);
            w.WriteEndDictionary();
        });
        var parsed = PexMessage.Parse(bytes);
        parsed.Added.Should().HaveCount(PexLimits.MaxEntriesReceived).And.OnlyContain(p => p.Flags == PexFlags.None);
    }

    [Fact]
    public void Random_and_mutated_input_never_throws_anything_but_PexFormatException()
    {
        var random = new Random(15);
        var valid = new PexMessage([new PexPeer(Ep("10.0.0.1:6881"), PexFlags.Seed)], [Ep("10.0.0.2:1")]).Encode();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = random.Next(1, 4); k > 0; k--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (i % 3 == 0) bytes = bytes[..random.Next(bytes.Length)];
            try
            {
                PexMessage.Parse(bytes);
            }
            catch (PexFormatException)
            {
            }
        }
    }
}
