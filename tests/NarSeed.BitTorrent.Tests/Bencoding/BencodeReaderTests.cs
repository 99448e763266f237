using System.Text;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Tests.Bencoding;

public class BencodeReaderTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Reads_every_token_kind_in_order()
    {
        var reader = new BencodeReader(B("d3:bari-42e3:fool4:spami0eee"));
        reader.ReadStartDictionary();
        Encoding.ASCII.GetString(reader.ReadString()).Should().Be("bar");
        reader.ReadInteger().Should().Be(-42);
        Encoding.ASCII.GetString(reader.ReadString()).Should().Be("foo");
        reader.ReadStartList();
        Encoding.ASCII.GetString(reader.ReadString()).Should().Be("spam");
        reader.ReadInteger().Should().Be(0);
        reader.TryReadEndList().Should().BeTrue();
        reader.TryReadEndDictionary().Should().BeTrue();
        reader.IsFinished.Should().BeTrue();
        reader.PeekToken().Should().Be(BencodeTokenType.Finished);
        reader.EnsureFinished();
    }

    [Theory]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    [InlineData("i-9223372036854775808e", long.MinValue)]
    [InlineData("i0e", 0)]
    [InlineData("i-1e", -1)]
    public void Reads_integer_extremes(string input, long expected)
    {
        var reader = new BencodeReader(B(input));
        reader.ReadInteger().Should().Be(expected);
        reader.EnsureFinished();
    }

    // The canonical-form rules of BEP 3 / BEP 52 §bencoding, and the limits.
    [Theory]
    [InlineData("i03e", BencodeErrorReason.InvalidInteger, 0)]
    [InlineData("i-0e", BencodeErrorReason.InvalidInteger, 0)]
    [InlineData("i-e", BencodeErrorReason.InvalidInteger, 0)]
    [InlineData("ie", BencodeErrorReason.InvalidInteger, 0)]
    [InlineData("i1x", BencodeErrorReason.InvalidInteger, 0)]
    [InlineData("i12", BencodeErrorReason.UnexpectedEnd, 3)]
    [InlineData("i9223372036854775808e", BencodeErrorReason.IntegerOverflow, 0)]
    [InlineData("i-9223372036854775809e", BencodeErrorReason.IntegerOverflow, 0)]
    [InlineData("i99999999999999999999999e", BencodeErrorReason.IntegerOverflow, 0)]
    [InlineData("03:abc", BencodeErrorReason.InvalidStringLength, 0)]
    [InlineData("3abc", BencodeErrorReason.InvalidStringLength, 0)]
    [InlineData("5:abc", BencodeErrorReason.UnexpectedEnd, 0)]
    [InlineData("", BencodeErrorReason.UnexpectedEnd, 0)]
    [InlineData("x", BencodeErrorReason.UnexpectedByte, 0)]
    [InlineData("e", BencodeErrorReason.UnexpectedByte, 0)]
    [InlineData("l", BencodeErrorReason.UnexpectedEnd, 1)]
    [InlineData("d1:bi1e1:ai2ee", BencodeErrorReason.UnsortedKeys, 7)]
    [InlineData("d1:ai1e1:ai2ee", BencodeErrorReason.DuplicateKey, 7)]
    [InlineData("d2:abi1e1:ai2ee", BencodeErrorReason.UnsortedKeys, 8)]
    [InlineData("di1ei2ee", BencodeErrorReason.KeyNotString, 1)]
    [InlineData("dlei2ee", BencodeErrorReason.KeyNotString, 1)]
    [InlineData("d1:ae", BencodeErrorReason.MissingValue, 4)]
    [InlineData("i1ei2e", BencodeErrorReason.TrailingData, 3)]
    public void Rejects_non_canonical_input_with_reason_and_offset(string input, BencodeErrorReason reason, int offset)
    {
        var act = () => Walk(B(input), BencodeLimits.Default);
        act.Should().Throw<BencodeException>().Where(e => e.Reason == reason && e.Offset == offset);
    }

    [Fact]
    public void Enforces_each_limit()
    {
        Act("lllleeee", new BencodeLimits { MaxDepth = 3 }).Which.Reason.Should().Be(BencodeErrorReason.DepthExceeded);
        Act("lllleeee", new BencodeLimits { MaxDepth = 4 });
        Act("5:abcde", new BencodeLimits { MaxStringLength = 4 }).Which.Reason.Should().Be(BencodeErrorReason.StringTooLong);
        Act("li1ei2ei3ee", new BencodeLimits { MaxItems = 3 }).Which.Reason.Should().Be(BencodeErrorReason.TooManyItems);
        Act("li1ei2ei3ee", new BencodeLimits { MaxTotalLength = 10 }).Which.Reason.Should().Be(BencodeErrorReason.InputTooLong);
        Act("99999999999999999999:a", BencodeLimits.Default).Which.Reason.Should().Be(BencodeErrorReason.StringTooLong);

        static FluentAssertions.Specialized.ExceptionAssertions<BencodeException> Act(string input, BencodeLimits limits)
        {
            var act = () => Walk(B(input), limits);
            if (limits.MaxDepth == 4) { act.Should().NotThrow(); return null!; }
            return act.Should().Throw<BencodeException>();
        }
    }

    [Fact]
    public void Limits_reject_invalid_settings()
    {
        var act = () => new BencodeLimits { MaxDepth = 0 };
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_failed_read_moves_nothing()
    {
        var reader = new BencodeReader(B("d1:bi1e1:ai2ee"));
        reader.ReadStartDictionary();
        reader.ReadString();
        reader.ReadInteger();
        var consumed = reader.BytesConsumed;
        try { reader.ReadString(); } catch (BencodeException e) { e.Reason.Should().Be(BencodeErrorReason.UnsortedKeys); }
        reader.BytesConsumed.Should().Be(consumed);
        reader.CurrentDepth.Should().Be(1);
        reader.IsAtKey.Should().BeTrue();
        reader.PeekToken().Should().Be(BencodeTokenType.String);
    }

    [Fact]
    public void A_failed_encoded_value_read_moves_nothing()
    {
        var reader = new BencodeReader(B("l1:xd1:bi1e1:ai2eee"));
        reader.ReadStartList();
        reader.ReadString();
        var consumed = reader.BytesConsumed;
        try { reader.ReadEncodedValue(); } catch (BencodeException e) { e.Reason.Should().Be(BencodeErrorReason.UnsortedKeys); }
        reader.BytesConsumed.Should().Be(consumed);
        reader.CurrentDepth.Should().Be(1);
        reader.PeekToken().Should().Be(BencodeTokenType.StartDictionary);
    }

    [Fact]
    public void Wrong_token_kind_is_caller_misuse()
    {
        var reader = new BencodeReader(B("i1e"));
        try { reader.ReadString(); Assert.Fail("no throw"); } catch (InvalidOperationException) { }
        reader.BytesConsumed.Should().Be(0);
    }

    [Fact]
    public void Encoded_value_is_the_exact_original_span()
    {
        var input = B("d4:infod6:lengthi5e4:name1:xe5:otheri1ee");
        var reader = new BencodeReader(input);
        reader.ReadStartDictionary();
        Encoding.ASCII.GetString(reader.ReadString()).Should().Be("info");
        var info = reader.ReadEncodedValue();
        Encoding.ASCII.GetString(info).Should().Be("d6:lengthi5e4:name1:xe");
        reader.ReadString();
        reader.ReadInteger();
        reader.ReadEndDictionary();
        reader.EnsureFinished();
    }

    [Fact]
    public void Keys_compare_by_raw_bytes_not_culture()
    {
        // "piece length" < "pieces" because 0x20 < 's'; 'Z' (0x5a) < 'a' (0x61); a prefix sorts first; 0xff last.
        Walk(B("d1:Zi0e1:ai0e5:piecei0e12:piece lengthi0e6:piecesi0e1:\u00ffi0ee"), BencodeLimits.Default);
    }

    /// <summary>Reads a whole input token by token, as a consumer would.</summary>
    internal static void Walk(ReadOnlySpan<byte> input, BencodeLimits limits)
    {
        var reader = new BencodeReader(input, limits);
        reader.ReadEncodedValue();
        reader.EnsureFinished();
    }

    [Fact]
    public void Peer_message_limits_accept_keys_out_of_order_but_the_DOM_never_does()
    {
        // A BEP 10 handshake from a client that does not sort its keys (libtorrent's bdecode accepts it).
        var handshake = B("d1:v7:Client21:md6:ut_pexi1e11:ut_metadatai2ee1:pi6881ee");
        var lenient = new BencodeLimits { RequireSortedKeys = false };
        var reader = new BencodeReader(handshake, lenient);
        reader.ReadStartDictionary();
        var keys = new List<string>();
        while (!reader.TryReadEndDictionary())
        {
            keys.Add(Encoding.ASCII.GetString(reader.ReadString()));
            reader.SkipValue();
        }
        reader.EnsureFinished();
        keys.Should().Equal("v", "m", "p");

        FluentActions.Invoking(() => new BencodeReader(handshake).ReadEncodedValue())
            .Should().Throw<BencodeException>().Which.Reason.Should().Be(BencodeErrorReason.UnsortedKeys);
        FluentActions.Invoking(() => BencodeValue.Parse(handshake, lenient)).Should().Throw<ArgumentException>();
    }
}
