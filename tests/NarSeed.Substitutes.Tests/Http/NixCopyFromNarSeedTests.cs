using System.Text;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.TestSupport;

namespace NarSeed.Substitutes.Tests.Http;

/// <summary>
/// Narinfos extended with a <c>Magnet:</c> line, served over HTTP, are still accepted by real Nix 2.8 with signature
/// checking on (require-sigs, trusted-public-keys = the key Nix generated).
/// </summary>
public class NixCopyFromNarSeedTests(RealNixCache nix) : IClassFixture<RealNixCache>
{
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromSeconds(90);

    private async Task<TestCacheServer> ServeWithMagnetsAsync(string compression)
    {
        var server = new TestCacheServer();
        server.AddDirectory(nix.CacheDir(compression));
        foreach (var name in server.Files.Keys.Where(k => k.EndsWith(".narinfo", StringComparison.Ordinal)).ToList())
        {
            var info = NixNarInfo.Parse(server.Files[name]);
            var magnet = $"magnet:?xt=urn:btmh:1220{Convert.ToHexStringLower(info.NarHash.Digest)}&xl={info.FileSize}&dn={Path.GetFileName(info.Url)}";
            var extended = info.WithField("Magnet", magnet);
            extended.Text.Should().Be(info.Text + "Magnet: " + magnet + "\n");
            server.Files[name] = Encoding.UTF8.GetBytes(extended.Text);
        }
        await Task.CompletedTask;
        return server;
    }

    private Task<ProcessResult> CopyFrom(TestCacheServer server, string trustedKey, string destination) =>
        nix.TryNix("nix", ["copy", "--from", server.BaseUri.AbsoluteUri.TrimEnd('/'), "--to", destination,
            "--option", "trusted-public-keys", trustedKey, "--option", "require-sigs", "true", nix.EnvPath], CopyTimeout);

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    public async Task Nix_copy_accepts_magnet_extended_narinfos(string compression)
    {
        await using var server = await ServeWithMagnetsAsync(compression);
        var destination = Path.Combine(nix.Root, "copy-" + compression);
        var result = await CopyFrom(server, nix.PublicKey, destination);
        result.ExitCode.Should().Be(0, result.StandardError);
        Directory.Exists(Path.Combine(destination, nix.EnvPath.TrimStart('/'))).Should().BeTrue();
        server.Log.Should().Contain("GET /nix-cache-info");
        server.Log.Should().Contain(l => l.StartsWith("GET /nar/", StringComparison.Ordinal));
        var narinfo = "GET /" + Path.GetFileName(nix.EnvPath).Substring(0, 32) + ".narinfo";
        server.Log.Should().Contain(l => l.StartsWith(narinfo, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bzip2")]
    [InlineData("none")]
    public async Task Our_client_fetches_and_verifies_the_whole_closure_from_the_served_cache(string compression)
    {
        await using var server = await ServeWithMagnetsAsync(compression);
        using var client = new NarSeed.Substitutes.Http.SubstituterClient(server.BaseUri);
        (await client.GetCacheInfoAsync(CancellationToken.None)).StoreDir.Should().Be("/nix/store");
        var key = NixPublicKey.Parse(nix.PublicKey);
        var pending = new Queue<string>([Path.GetFileName(nix.EnvPath)[..32]]);
        var seen = new HashSet<string>();
        while (pending.TryDequeue(out var hash))
        {
            if (!seen.Add(hash)) continue;
            var info = await client.TryGetNixNarInfoAsync(hash, "/nix/store", CancellationToken.None);
            info.Should().NotBeNull();
            info!.GetExtraField("Magnet").Should().StartWith("magnet:?xt=urn:btmh:1220");
            NixSignatureVerifier.Verify(info, [key]).Verdict.Should().Be(SignatureVerdict.Valid);
            var nar = new MemoryStream();
            await client.DownloadNarAsync(info.Url, nar, info.FileSize, CancellationToken.None);
            nar.Position = 0;
            var result = await NarSeed.Substitutes.Compression.NarVerifier.VerifyAsync(nar,
                new(info.Compression, info.FileHash, info.FileSize, info.NarHash, info.NarSize), CancellationToken.None);
            result.IsValid.Should().BeTrue();
            foreach (var reference in info.References) pending.Enqueue(reference.HashPart);
        }
        seen.Should().HaveCount(2, "the env output and the directory it refers to");
    }

    [Fact]
    public async Task Nix_copy_refuses_the_same_cache_with_another_trusted_key()
    {
        // Proves that signature checking is really on: the input-addressed path needs a trusted signature.
        await using var server = await ServeWithMagnetsAsync("xz");
        var other = NixSecretKey.Generate("narseed-test-1").PublicKey.ToString();
        var result = await CopyFrom(server, other, Path.Combine(nix.Root, "copy-refused"));
        result.ExitCode.Should().NotBe(0);
        result.StandardError.Should().Contain("signature");
        Directory.Exists(Path.Combine(nix.Root, "copy-refused", nix.EnvPath.TrimStart('/'))).Should().BeFalse();
    }
}
