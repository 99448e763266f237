using System.Security.Cryptography;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.StorePaths;
using NarSeed.TestSupport;

namespace NarSeed.Substitutes.Tests.Compression;

/// <summary>Decoders against files made by the real command-line compressors (xz, lzip, zstd, bzip2, gzip, brotli via .NET).</summary>
public class NarDecoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static IEnumerable<object[]> Tools() =>
    [
        [CompressionMethod.Xz, "xz -c -6"],
        [CompressionMethod.Lzip, "lzip -c"],
        [CompressionMethod.Zstd, "zstd -q -c -19"],
        [CompressionMethod.Bzip2, "bzip2 -c"],
        [CompressionMethod.Gzip, "gzip -c"],
    ];

    internal static byte[] MixedData(int size, int seed)
    {
        var random = new Random(seed);
        var data = new byte[size];
        for (var i = 0; i < size; i += 4096)
        {
            var block = data.AsSpan(i, Math.Min(4096, size - i));
            if ((i / 4096) % 3 == 0) random.NextBytes(block);
            else block.Fill((byte)('a' + (i / 4096) % 26));
        }
        return data;
    }

    private async Task<(string Path, byte[] Plain)> CompressAsync(string command, int size = 600_000, int parts = 1)
    {
        var plain = MixedData(size, 42);
        var input = _dir.Combine("plain");
        await File.WriteAllBytesAsync(input, plain);
        var output = _dir.Combine("packed");
        var script = string.Join("; ", Enumerable.Range(0, parts).Select(i => $"{command} {input} {(i == 0 ? ">" : ">>")} {output}"));
        (await ProcessRunner.RunAsync("sh", ["-c", script], TimeSpan.FromSeconds(60))).EnsureSuccess(command);
        return (output, parts == 1 ? plain : Enumerable.Repeat(plain, parts).SelectMany(b => b).ToArray());
    }

    private static NarExpectation Expect(CompressionMethod method, byte[] file, byte[] plain) => new(
        method, NixHash.Sha256(file), file.Length, NixHash.Sha256(plain), plain.Length);

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Decodes_what_the_real_tool_wrote_and_checks_all_four_values(CompressionMethod method, string command)
    {
        var (path, plain) = await CompressAsync(command);
        var file = await File.ReadAllBytesAsync(path);
        var result = await NarVerifier.VerifyFileAsync(path, Expect(method, file, plain), CancellationToken.None);
        result.IsValid.Should().BeTrue(result.DecodeError?.Message);
        result.ActualNarSize.Should().Be(plain.Length);
        (result.FileHash, result.FileSize, result.NarHash, result.NarSize).Should().Be(
            (NarCheckOutcome.Ok, NarCheckOutcome.Ok, NarCheckOutcome.Ok, NarCheckOutcome.Ok));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Concatenated_members_decode_like_the_tools_do(CompressionMethod method, string command)
    {
        var (path, plain) = await CompressAsync(command, size: 100_000, parts: 3);
        await using var decoded = NarDecoder.Open(method, File.OpenRead(path));
        SHA256.HashData(decoded).Should().Equal(SHA256.HashData(plain));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Truncated_stream_is_a_clean_error(CompressionMethod method, string command)
    {
        var (path, plain) = await CompressAsync(command);
        var file = await File.ReadAllBytesAsync(path);
        foreach (var cut in new[] { 1, file.Length / 3, file.Length - 1 })
        {
            var result = await NarVerifier.VerifyAsync(new MemoryStream(file[..cut]), Expect(method, file, plain), CancellationToken.None);
            result.IsValid.Should().BeFalse();
            // gzip's last bytes are the ISIZE trailer, which .NET does not insist on; the content is still whole.
            if (cut < file.Length - 8) result.NarHash.Should().Be(NarCheckOutcome.Mismatch);
            result.FileHash.Should().Be(NarCheckOutcome.Mismatch);
            result.FileSize.Should().Be(NarCheckOutcome.Mismatch);
        }
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Corrupted_bytes_never_verify(CompressionMethod method, string command)
    {
        var (path, plain) = await CompressAsync(command);
        var file = await File.ReadAllBytesAsync(path);
        var random = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var copy = (byte[])file.Clone();
            var at = random.Next(copy.Length);
            copy[at] ^= (byte)(1 << random.Next(8));
            var result = await NarVerifier.VerifyAsync(new MemoryStream(copy), Expect(method, file, plain), CancellationToken.None);
            result.IsValid.Should().BeFalse();
            result.FileHash.Should().Be(NarCheckOutcome.Mismatch);
        }
    }

    [Fact]
    public async Task Random_garbage_gives_clean_errors_for_every_decoder()
    {
        var random = new Random(1);
        foreach (var method in new[] { CompressionMethod.Xz, CompressionMethod.Lzip, CompressionMethod.Zstd, CompressionMethod.Bzip2, CompressionMethod.Gzip, CompressionMethod.Brotli })
        {
            for (var round = 0; round < 30; round++)
            {
                var garbage = new byte[random.Next(0, 5000)];
                random.NextBytes(garbage);
                var result = await NarVerifier.VerifyAsync(new MemoryStream(garbage),
                    new NarExpectation(method, null, null, NixHash.Sha256([1]), 1), CancellationToken.None);
                result.IsValid.Should().BeFalse();
            }
        }
    }

    [Fact]
    public async Task Decompression_bomb_stops_one_byte_past_NarSize()
    {
        var zeros = _dir.Combine("zeros");
        (await ProcessRunner.RunAsync("sh", ["-c", $"head -c 200000000 /dev/zero | zstd -q -c > {zeros}"], TimeSpan.FromSeconds(60))).EnsureSuccess("zstd");
        var result = await NarVerifier.VerifyFileAsync(zeros, new NarExpectation(CompressionMethod.Zstd, null, null, NixHash.Sha256([0]), 1000), CancellationToken.None);
        result.NarSize.Should().Be(NarCheckOutcome.Mismatch);
        result.ActualNarSize.Should().BeLessThan(2_000_000);
    }

    [Fact]
    public async Task Brotli_and_none_round_trip()
    {
        var plain = MixedData(300_000, 3);
        var packed = new MemoryStream();
        await using (var brotli = new System.IO.Compression.BrotliStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await brotli.WriteAsync(plain);
        }
        (await NarVerifier.VerifyAsync(new MemoryStream(packed.ToArray()), Expect(CompressionMethod.Brotli, packed.ToArray(), plain), CancellationToken.None))
            .IsValid.Should().BeTrue();
        (await NarVerifier.VerifyAsync(new MemoryStream(plain), Expect(CompressionMethod.None, plain, plain), CancellationToken.None))
            .IsValid.Should().BeTrue();
        var tampered = (byte[])plain.Clone();
        tampered[1000] ^= 1;
        var bad = await NarVerifier.VerifyAsync(new MemoryStream(tampered), Expect(CompressionMethod.None, plain, plain), CancellationToken.None);
        bad.FirstFailure.Should().Be("nar_hash");
        bad.NarSize.Should().Be(NarCheckOutcome.Ok);
    }

    [Fact]
    public void Unsupported_compression_is_reported()
    {
        var act = () => NarDecoder.Open(CompressionMethod.Lz4, new MemoryStream());
        act.Should().Throw<NarDecodingException>().Which.Reason.Should().Be(NarDecodingErrorReason.Unsupported);
    }
}
