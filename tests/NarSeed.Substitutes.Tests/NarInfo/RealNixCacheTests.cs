using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Substitutes.Tests.NarInfo;

/// <summary>Everything real Nix 2.8 wrote into its signed caches parses, verifies and decodes.</summary>
public class RealNixCacheTests(RealNixCache nix) : IClassFixture<RealNixCache>
{
    public static IEnumerable<object[]> Compressions() => RealNixCache.Compressions.Select(c => new object[] { c });

    private IEnumerable<(string File, NixNarInfo Info)> NarInfos(string compression) =>
        Directory.GetFiles(nix.CacheDir(compression), "*.narinfo").Select(f => (f, NixNarInfo.Parse(File.ReadAllBytes(f))));

    [Theory]
    [MemberData(nameof(Compressions))]
    public void Every_narinfo_parses_and_its_signature_verifies_with_the_key_Nix_printed(string compression)
    {
        var infos = NarInfos(compression).ToList();
        infos.Should().HaveCount(3);
        var key = NixPublicKey.Parse(nix.PublicKey);
        foreach (var (file, info) in infos)
        {
            Path.GetFileName(file).Should().Be(info.StorePath.HashPart + ".narinfo");
            info.Compression.ToName().Should().Be(compression);
            NixSignatureVerifier.Verify(info, [key]).Verdict.Should().Be(SignatureVerdict.Valid, file);
            NixSignatureVerifier.Verify(info, [NixSecretKey.Generate("narseed-test-1").PublicKey]).Verdict.Should().Be(SignatureVerdict.Invalid);
            info.ToCanonicalText().Should().Be(info.Text, "Nix writes its own canonical order");
        }
        var env = infos.Single(i => i.Info.StorePath.FullPath == nix.EnvPath).Info;
        env.References.Select(r => r.FullPath).Should().Contain(nix.EnvPath, "buildenv's manifest.nix points at its own output");
        env.References.Should().HaveCount(2);
        env.Deriver.Should().NotBeNull();
        env.ContentAddress.Should().BeNull("a derivation output is input-addressed");
        var note = infos.Single(i => i.Info.StorePath.FullPath == nix.NotePath).Info;
        note.ContentAddress.Should().StartWith("text:sha256:");
        note.References.Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Compressions))]
    public async Task Every_nar_decodes_to_its_NarHash_in_one_pass(string compression)
    {
        foreach (var (_, info) in NarInfos(compression))
        {
            var result = await NarVerifier.VerifyFileAsync(Path.Combine(nix.CacheDir(compression), info.Url),
                new NarExpectation(info.Compression, info.FileHash, info.FileSize, info.NarHash, info.NarSize), CancellationToken.None);
            result.IsValid.Should().BeTrue(result.DecodeError?.Message);
            result.FileHash.Should().Be(NarCheckOutcome.Ok);
            result.FileSize.Should().Be(NarCheckOutcome.Ok);
        }
    }

    [Theory]
    [MemberData(nameof(Compressions))]
    public async Task A_tampered_nar_is_a_NarHash_mismatch(string compression)
    {
        var (_, info) = NarInfos(compression).OrderByDescending(i => i.Info.NarSize).First();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(nix.CacheDir(compression), info.Url));
        if (compression == "none")
        {
            bytes[bytes.Length / 2] ^= 0x20;
        }
        else
        {
            // Re-compress a tampered nar with the same tool, so the compressed stream itself is well formed.
            var decoded = new MemoryStream();
            await using (var d = NarDecoder.Open(info.Compression, new MemoryStream(bytes))) await d.CopyToAsync(decoded);
            var nar = decoded.ToArray();
            nar[nar.Length / 2] ^= 0x20;
            bytes = await Recompress(compression, nar);
        }
        var result = await NarVerifier.VerifyAsync(new MemoryStream(bytes),
            new NarExpectation(info.Compression, info.FileHash, info.FileSize, info.NarHash, info.NarSize), CancellationToken.None);
        result.DecodeError.Should().BeNull();
        result.NarSize.Should().Be(NarCheckOutcome.Ok);
        result.NarHash.Should().Be(NarCheckOutcome.Mismatch);
        result.FirstFailure.Should().Be("nar_hash");
    }

    private async Task<byte[]> Recompress(string compression, byte[] nar)
    {
        var input = Path.Combine(nix.Root, "tampered.nar");
        var output = input + ".out";
        await File.WriteAllBytesAsync(input, nar);
        var tool = compression switch { "xz" => "xz -c", "zstd" => "zstd -q -c", "bzip2" => "bzip2 -c", _ => throw new ArgumentException(compression) };
        (await TestSupport.ProcessRunner.RunAsync("sh", ["-c", $"{tool} {input} > {output}"], TimeSpan.FromSeconds(30))).EnsureSuccess(tool);
        return await File.ReadAllBytesAsync(output);
    }

    [Fact]
    public void Nix_cache_info_round_trips()
    {
        var text = File.ReadAllText(Path.Combine(nix.CacheDir("xz"), "nix-cache-info"));
        var info = NixCacheInfo.Parse(text);
        info.StoreDir.Should().Be("/nix/store");
        NixCacheInfo.Parse(info.Serialize()).Should().Be(info);
    }
}
