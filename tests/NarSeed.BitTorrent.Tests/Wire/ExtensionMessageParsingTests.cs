using System.Text;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Wire;

/// <summary>The BEP 10 handshake and BEP 9 header fields both peer connections (seeding and downloading) read.</summary>
public class ExtensionMessageParsingTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Reads_the_seeder_handshake_of_bittorrent_md_5_4()
    {
        var handshake = ExtensionHandshake.Parse(
            B("d1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei267e1:pi6881e4:reqqi500e1:v11:NarSeed 0.1e"));

        handshake.Should().Be(new ExtensionHandshake
        {
            UtMetadataId = 2, UtPexId = 1, MetadataSize = 267, ListenPort = 6881, RequestQueueLength = 500,
        });
    }

    [Fact]
    public void Keys_out_of_order_unknown_keys_and_out_of_range_values_are_tolerated()
    {
        var handshake = ExtensionHandshake.Parse(
            B("d4:reqqi-5e1:pi70000e1:md6:ut_pexi300e11:ut_metadatai0e6:lt_tex3:fooe6:yourip4:\x7f\0\0\u0001e"));

        handshake.Should().Be(new ExtensionHandshake());
    }

    [Fact]
    public void Malformed_bencoding_is_a_BencodeException()
    {
        FluentActions.Invoking(() => ExtensionHandshake.Parse(B("d1:mi1e"))).Should().Throw<BencodeException>();
        FluentActions.Invoking(() => MetadataMessageHeader.Parse(B("li0ee"))).Should().Throw<BencodeException>();
    }

    [Fact]
    public void A_metadata_data_header_reports_its_length_so_the_chunk_follows_it()
    {
        var message = B("d8:msg_typei1e5:piecei0e10:total_sizei3ee").Concat(B("abc")).ToArray();

        var header = MetadataMessageHeader.Parse(message);

        header.Should().Be(new MetadataMessageHeader(MetadataMessageHeader.Data, 0, 3, message.Length - 3));
        message.AsSpan(header.Length).ToArray().Should().Equal(B("abc"));
        MetadataMessageHeader.Parse(B("d5:piecei7e8:msg_typei0ee"))
            .Should().Be(new MetadataMessageHeader(MetadataMessageHeader.Request, 7, -1, 25));
    }
}
