using System.Text;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Tests.Bencoding;

/// <summary>The bencoded examples of the BEPs (bittorrent.md §9.4): each parses and re-encodes to the same bytes.</summary>
public class BencodeSpecVectorTests
{
    [Theory]
    // BEP 5 KRPC examples: ping, find_node, get_peers, announce_peer (queries and responses).
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")]
    [InlineData("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re")]
    [InlineData("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe")]
    [InlineData("d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re")]
    [InlineData("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe")]
    [InlineData("d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re")]
    [InlineData("d1:rd2:id20:abcdefghij01234567895:nodes9:def456...5:token8:aoeusnthe1:t2:aa1:y1:re")]
    [InlineData("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")]
    [InlineData("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")]
    // BEP 9 ut_metadata request and reject; bittorrent.md §5.4 extension handshake.
    [InlineData("d8:msg_typei0e5:piecei0ee")]
    [InlineData("d8:msg_typei2e5:piecei0ee")]
    [InlineData("d1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei267e1:pi6881e4:reqqi500e1:v11:NarSeed 0.1e")]
    public void Spec_examples_round_trip(string example)
    {
        var bytes = Encoding.Latin1.GetBytes(example);
        var value = BencodeValue.Parse(bytes);
        value.Encoded.ToArray().Should().Equal(bytes);
        BencodeWriter.Encode(w => Copy(w, value)).Should().Equal(bytes);
    }

    [Fact]
    public void Bep_7_compact_tracker_response_parses()
    {
        // d8:intervali1800e5:peers6:<4-byte IP><2-byte port>6:peers618:<16-byte IPv6><2-byte port>e
        byte[] bytes = [.. "d8:intervali1800e5:peers6:"u8, 127, 0, 0, 1, 0x1a, 0xe1, .. "6:peers618:"u8,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1a, 0xe2, (byte)'e'];
        var response = (BencodeDictionary)BencodeValue.Parse(bytes);
        response.Get<BencodeInteger>("interval")!.Value.Should().Be(1800);
        response.Get<BencodeString>("peers")!.Bytes.ToArray().Should().Equal(127, 0, 0, 1, 0x1a, 0xe1);
        response.Get<BencodeString>("peers6")!.Bytes.Length.Should().Be(18);
    }

    private static void Copy(BencodeWriter writer, BencodeValue value)
    {
        switch (value)
        {
            case BencodeInteger i: writer.WriteInteger(i.Value); break;
            case BencodeString s: writer.WriteString(s.Bytes.Span); break;
            case BencodeList l:
                writer.WriteStartList();
                foreach (var item in l.Items) Copy(writer, item);
                writer.WriteEndList();
                break;
            case BencodeDictionary d:
                writer.WriteStartDictionary();
                foreach (var (key, item) in d.Entries) { writer.WriteKey(key.Span); Copy(writer, item); }
                writer.WriteEndDictionary();
                break;
        }
    }
}
