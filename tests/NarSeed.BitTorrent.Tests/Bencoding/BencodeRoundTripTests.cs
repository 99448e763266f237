using System.Buffers;
using System.Text;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Tests.Bencoding;

public class BencodeRoundTripTests
{
    [Fact]
    public void Writer_output_parses_back_to_the_same_values()
    {
        var bytes = BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary();
            w.WriteKey("");
            w.WriteInteger(long.MinValue);
            w.WriteKey("a list");
            w.WriteStartList();
            w.WriteString("h\u00e9llo");
            w.WriteString(new byte[] { 0, 255, 1 });
            w.WriteStartDictionary();
            w.WriteEndDictionary();
            w.WriteEndList();
            w.WriteKey("z");
            w.WriteInteger(long.MaxValue);
            w.WriteEndDictionary();
        });
        Encoding.Latin1.GetString(bytes).Should().Be(
            "d0:i-9223372036854775808e6:a listl6:h\u00c3\u00a9llo3:\0\u00ff\u0001dee1:zi9223372036854775807ee");

        var root = (BencodeDictionary)BencodeValue.Parse(bytes);
        root.Get<BencodeInteger>("")!.Value.Should().Be(long.MinValue);
        var list = root.Get<BencodeList>("a list")!;
        list.Items.Should().HaveCount(3);
        ((BencodeString)list.Items[0]).TryGetUtf8(out var s).Should().BeTrue();
        s.Should().Be("h\u00e9llo");
        ((BencodeString)list.Items[1]).Bytes.ToArray().Should().Equal(0, 255, 1);
        root.Get<BencodeInteger>("z")!.Value.Should().Be(long.MaxValue);
        root.Encoded.ToArray().Should().Equal(bytes);

        // And re-encoding the DOM through WriteEncodedValue reproduces the bytes.
        BencodeWriter.Encode(w => w.WriteEncodedValue(list.Encoded.Span)).Should().Equal(list.Encoded.ToArray());
    }

    [Fact]
    public void Random_documents_round_trip_byte_for_byte()
    {
        var random = new Random(52);
        for (var i = 0; i < 500; i++)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new BencodeWriter(buffer);
            BencodeFuzzTests.WriteRandomValue(writer, random, depth: 0);
            var bytes = buffer.WrittenSpan.ToArray();
            var parsed = BencodeValue.Parse(bytes);
            parsed.Encoded.ToArray().Should().Equal(bytes);
            var again = new ArrayBufferWriter<byte>();
            Rewrite(new BencodeWriter(again), parsed);
            again.WrittenSpan.ToArray().Should().Equal(bytes);
        }
    }

    [Fact]
    public void Writer_refuses_unsorted_or_duplicate_keys_and_unbalanced_ends()
    {
        Action unsorted = () => BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary(); w.WriteKey("b"); w.WriteInteger(1); w.WriteKey("a");
        });
        unsorted.Should().Throw<InvalidOperationException>();
        Action duplicate = () => BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary(); w.WriteKey("a"); w.WriteInteger(1); w.WriteKey("a");
        });
        duplicate.Should().Throw<InvalidOperationException>();
        Action valueWithoutKey = () => BencodeWriter.Encode(w => { w.WriteStartDictionary(); w.WriteInteger(1); });
        valueWithoutKey.Should().Throw<InvalidOperationException>();
        Action keyWithoutValue = () => BencodeWriter.Encode(w => { w.WriteStartDictionary(); w.WriteKey("a"); w.WriteEndDictionary(); });
        keyWithoutValue.Should().Throw<InvalidOperationException>();
        Action open = () => BencodeWriter.Encode(w => w.WriteStartList());
        open.Should().Throw<InvalidOperationException>();
        Action badEncoded = () => BencodeWriter.Encode(w => w.WriteEncodedValue("i01e"u8));
        badEncoded.Should().Throw<BencodeException>();
    }

    private static void Rewrite(BencodeWriter writer, BencodeValue value)
    {
        switch (value)
        {
            case BencodeInteger i: writer.WriteInteger(i.Value); break;
            case BencodeString s: writer.WriteString(s.Bytes.Span); break;
            case BencodeList l:
                writer.WriteStartList();
                foreach (var item in l.Items) Rewrite(writer, item);
                writer.WriteEndList();
                break;
            case BencodeDictionary d:
                writer.WriteStartDictionary();
                foreach (var (key, item) in d.Entries) { writer.WriteKey(key.Span); Rewrite(writer, item); }
                writer.WriteEndDictionary();
                break;
        }
    }
}
