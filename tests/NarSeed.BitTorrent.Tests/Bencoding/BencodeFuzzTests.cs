using System.Buffers;
using System.Diagnostics;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Tests.Bencoding;

/// <summary>
/// Random and mutated inputs: the decoder must never crash, hang or throw anything but <see cref="BencodeException"/>,
/// and whatever it accepts must be canonical (re-encoding reproduces the input).
/// </summary>
public class BencodeFuzzTests
{
    private static readonly BencodeLimits SmallLimits = new() { MaxDepth = 16, MaxItems = 2000, MaxStringLength = 4096 };

    [Fact]
    public void Mutated_and_random_inputs_only_raise_BencodeException()
    {
        var random = new Random(3);
        var stopwatch = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < 30_000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 40)];
                for (var j = 0; j < input.Length; j++)
                {
                    input[j] = (byte)"ilde0123456789:-x"[random.Next(17)];
                }
            }
            else
            {
                var buffer = new ArrayBufferWriter<byte>();
                WriteRandomValue(new BencodeWriter(buffer), random, 0);
                input = Mutate(buffer.WrittenSpan.ToArray(), random);
            }
            try
            {
                var value = BencodeValue.Parse(input, SmallLimits);
                value.Encoded.Length.Should().Be(input.Length);
                BencodeWriter.Encode(w => w.WriteEncodedValue(input)).Should().Equal(input);
                accepted++;
            }
            catch (BencodeException e)
            {
                e.Offset.Should().BeInRange(0, Math.Max(input.Length, SmallLimits.MaxTotalLength));
            }
        }
        accepted.Should().BeGreaterThan(100, "the corpus must include valid documents too");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Deep_nesting_is_bounded_not_a_stack_overflow()
    {
        var input = new byte[2_000_000];
        input.AsSpan(0, 1_000_000).Fill((byte)'l');
        input.AsSpan(1_000_000).Fill((byte)'e');
        var act = () => BencodeValue.Parse(input);
        act.Should().Throw<BencodeException>().Which.Reason.Should().Be(BencodeErrorReason.DepthExceeded);
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var list = input.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && list.Count > 0; m++)
        {
            var at = random.Next(list.Count);
            switch (random.Next(4))
            {
                case 0: list[at] = (byte)random.Next(256); break;
                case 1: list.RemoveAt(at); break;
                case 2: list.Insert(at, (byte)"ilde0:9"[random.Next(7)]); break;
                default: list.RemoveRange(at, list.Count - at); break;
            }
        }
        return list.ToArray();
    }

    internal static void WriteRandomValue(BencodeWriter writer, Random random, int depth)
    {
        switch (depth > 4 ? random.Next(2) : random.Next(4))
        {
            case 0:
                writer.WriteInteger(random.Next(3) switch { 0 => 0, 1 => random.NextInt64(), _ => -random.Next(1000) });
                break;
            case 1:
                var bytes = new byte[random.Next(0, 12)];
                random.NextBytes(bytes);
                writer.WriteString(bytes);
                break;
            case 2:
                writer.WriteStartList();
                for (var i = random.Next(4); i > 0; i--) WriteRandomValue(writer, random, depth + 1);
                writer.WriteEndList();
                break;
            default:
                writer.WriteStartDictionary();
                var keys = Enumerable.Range(0, random.Next(4))
                    .Select(_ => { var k = new byte[random.Next(0, 5)]; random.NextBytes(k); return k; })
                    .DistinctBy(Convert.ToHexString)
                    .OrderBy(k => k, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
                foreach (var key in keys)
                {
                    writer.WriteKey(key);
                    WriteRandomValue(writer, random, depth + 1);
                }
                writer.WriteEndDictionary();
                break;
        }
    }
}
