using NarSeed.Substitutes.Compression;

namespace NarSeed.Substitutes.Tests.Compression;

/// <summary>Headers that ask for huge decoder windows are refused before memory is reserved.</summary>
public class DecoderMemoryLimitTests
{
    private static NarDecodingErrorReason Decode(CompressionMethod method, byte[] input)
    {
        var act = () =>
        {
            using var stream = NarDecoder.Open(method, new MemoryStream(input));
            stream.CopyTo(Stream.Null);
        };
        return act.Should().Throw<NarDecodingException>().Which.Reason;
    }

    [Fact]
    public void Xz_with_a_1_GiB_dictionary_exceeds_MaxLzmaMemory()
    {
        // Python: lzma.compress(b'hello world'*10, format=FORMAT_XZ, filters=[{id: FILTER_LZMA2, dict_size: 1<<30, mf: MF_HC3, depth: 1}]).
        // `xz -dc --memlimit=256MiB` refuses it too ("Memory usage limit reached").
        var file = Convert.FromHexString(
            "fd377a585a000004e6d6b44602002101240000005e1fc7f9e0006d00115d00341949ee8de917893a33600971212e38000000000094d7a328ef162dd000012d6e9ba3a6aa1fb6f37d010000000004595a");
        Decode(CompressionMethod.Xz, file).Should().Be(NarDecodingErrorReason.MemoryLimit);
    }

    [Fact]
    public void Zstd_frame_with_a_2_GiB_window_exceeds_the_window_limit()
    {
        // Hand-made frame (RFC 8878 §3.1.1): magic, descriptor 0x00, Window_Descriptor exponent 21 (windowLog 31),
        // then one empty raw last block.
        var frame = Convert.FromHexString("28b52ffd00a8010000");
        Decode(CompressionMethod.Zstd, frame).Should().Be(NarDecodingErrorReason.MemoryLimit);
    }
}
