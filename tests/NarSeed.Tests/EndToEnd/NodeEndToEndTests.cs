using System.Net;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Mirror;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.Substitutes.Tests;
using NarSeed.TestSupport;

namespace NarSeed.Tests.EndToEnd;

/// <summary>
/// The acceptance path with real parts only, all on 127.0.0.1: real Nix 2.8 builds and signs a cache (a closure with
/// references, xz and zstd), nginx-light serves it as the origin, the node mirrors the roots' closures, verifies and
/// seeds every nar; real libtorrent downloads one nar through the magnet in the node's narinfo (peer: the node via
/// x.pe; web seed: nginx) and rechecks it; real `nix copy --from` the node copies the closure with signatures required.
/// </summary>
public sealed class NodeEndToEndTests(RealNixCache nix) : IClassFixture<RealNixCache>, IDisposable
{
    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NixTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new("narseed-e2e-");

    public void Dispose() => _dir.Dispose();

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];

    private Task<InProcessNode> StartNodeAsync(NginxOrigin origin, params KeyValuePair<string, string?>[] extra) =>
        InProcessNode.StartAsync(_dir.Path,
        [
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey),
            new("Roots:0", nix.EnvPath), new("Roots:1", nix.NotePath), new("Mirror:RetryBackoff", "00:00:00.2"),
            .. extra,
        ]);

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    public async Task Node_mirrors_the_closure_seeds_it_and_serves_it_to_libtorrent_and_nix(string compression)
    {
        await using var origin = await NginxOrigin.StartAsync(nix.CacheDir(compression));
        var nodeKey = NixSecretKey.Generate("narseed-node-1");
        await File.WriteAllTextAsync(_dir.Combine("node.key"), nodeKey.ToString());
        await using var node = await StartNodeAsync(origin, new KeyValuePair<string, string?>("SigningKey", _dir.Combine("node.key")));
        await node.WaitForPassesAsync(1, MirrorTimeout);

        node.Progress.Mirrored.Should().Be(3, "env, dep and note; failures: {0}", string.Join(", ", node.Progress.FailuresByReason()));
        node.Progress.TotalFailures.Should().Be(0);
        node.Seeding.Count.Should().Be(3);
        node.Seeding.Engine!.TorrentCount.Should().Be(3);

        // The node's narinfo: origin fields and signature, the node's URL, a magnet, the node's own signature.
        var envHash = Hash(nix.EnvPath);
        var originText = await File.ReadAllTextAsync(Path.Combine(nix.CacheDir(compression), envHash + ".narinfo"));
        var originInfo = NixNarInfo.Parse(originText);
        var response = await node.Http.GetAsync(envHash + ".narinfo");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var served = NixNarInfo.Parse(await response.Content.ReadAsStringAsync());
        served.NarHash.Should().Be(originInfo.NarHash);
        served.Url.Should().StartWith("nar/").And.NotBe(originInfo.Url);
        served.Signatures.Should().Contain(originInfo.Signatures).And.HaveCount(originInfo.Signatures.Count + 1);
        NixSignatureVerifier.Verify(served, [nodeKey.PublicKey]).Verdict.Should().Be(SignatureVerdict.Valid);
        NixSignatureVerifier.Verify(served, [NixPublicKey.Parse(nix.PublicKey)]).Verdict.Should().Be(SignatureVerdict.Valid);
        var magnet = MagnetLink.Parse(served.GetExtraField("Magnet")!);
        magnet.InfoHashV2.Should().NotBeNull();
        magnet.InfoHashV1.Should().BeNull("torrents are v2-only unless --hybrid");
        magnet.WebSeeds.Should().Equal(origin.BaseUrl + "/" + originInfo.Url);
        magnet.Peers.Should().ContainSingle().Which.ToString().Should().Be($"127.0.0.1:{node.BtPort}");
        (await node.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, envHash + ".narinfo"))).StatusCode
            .Should().Be(HttpStatusCode.OK);

        // The nar itself over HTTP with Range, byte-identical to the origin's; the .torrent matches the magnet.
        var originNar = await File.ReadAllBytesAsync(Path.Combine(nix.CacheDir(compression), originInfo.Url));
        (await node.Http.GetByteArrayAsync(served.Url)).Should().Equal(originNar);
        var range = new HttpRequestMessage(HttpMethod.Get, served.Url);
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 99);
        var partial = await node.Http.SendAsync(range);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).Should().Equal(originNar[10..100]);
        var torrent = TorrentReader.Read(await node.Http.GetByteArrayAsync(envHash + ".torrent"));
        torrent.InfoHashV2.ToArray().Should().Equal(magnet.InfoHashV2!.Value.ToArray());
        torrent.WebSeeds.Should().Equal(magnet.WebSeeds);

        // Real libtorrent through the magnet alone: it finds the node through x.pe and nginx as web seed. The
        // directory's nar is the one of several pieces (BEP 52 hash requests are answered by the node).
        var depHash = originInfo.References.Select(r => r.HashPart).Single(h => h != envHash);
        var depInfo = NixNarInfo.Parse(await node.Http.GetStringAsync(depHash + ".narinfo"));
        var depMagnet = MagnetLink.Parse(depInfo.GetExtraField("Magnet")!);
        depMagnet.ExactLength.Should().BeGreaterThan(16 * 1024 * 2);
        var save = _dir.Combine("lt-" + compression);
        Directory.CreateDirectory(save);
        var lt = await LibtorrentMagnet.DownloadAsync(depMagnet.ToString(), save, TimeSpan.FromSeconds(40));
        lt["seeding"]!.GetValue<bool>().Should().BeTrue(lt.ToJsonString());
        var depOriginNar = await File.ReadAllBytesAsync(Path.Combine(nix.CacheDir(compression),
            NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(nix.CacheDir(compression), depHash + ".narinfo"))).Url));
        (await File.ReadAllBytesAsync(Path.Combine(save, depMagnet.DisplayName!))).Should().Equal(depOriginNar);
        node.Seeding.Engine!.BytesUploaded.Should().BeGreaterThan(0, "libtorrent also took pieces from the node");

        // Real Nix copies the closure from the node with signature checking on (the origin's key only).
        var destination = _dir.Combine("nix-copy-" + compression);
        var copy = await nix.TryNix("nix", ["copy", "--from", node.BaseUrl, "--to", destination,
            "--option", "trusted-public-keys", nix.PublicKey, "--option", "require-sigs", "true", nix.EnvPath], NixTimeout);
        copy.ExitCode.Should().Be(0, copy.StandardError);
        Directory.Exists(Path.Combine(destination, nix.EnvPath.TrimStart('/'))).Should().BeTrue();
    }

    [Fact]
    public async Task With_hybrid_the_torrents_and_magnets_carry_a_v1_hash_too()
    {
        await using var origin = await NginxOrigin.StartAsync(nix.CacheDir("xz"));
        await using var node = await StartNodeAsync(origin, new KeyValuePair<string, string?>("BitTorrent:Hybrid", "true"));
        await node.WaitForPassesAsync(1, MirrorTimeout);
        node.Progress.Mirrored.Should().Be(3);

        foreach (var seeded in node.Seeding.Seeded)
        {
            var served = NixNarInfo.Parse(await node.Http.GetStringAsync(seeded.HashPart + ".narinfo"));
            var magnet = MagnetLink.Parse(served.GetExtraField("Magnet")!);
            magnet.InfoHashV1.Should().NotBeNull();
            var torrent = TorrentReader.Read(await node.Http.GetByteArrayAsync(seeded.HashPart + ".torrent"));
            torrent.IsHybrid.Should().BeTrue();
            torrent.InfoHashV1!.Value.ToArray().Should().Equal(magnet.InfoHashV1!.Value.ToArray());
            torrent.InfoHashV2.ToArray().Should().Equal(magnet.InfoHashV2!.Value.ToArray());
        }
        node.Seeding.Engine!.TorrentCount.Should().Be(3);
    }
}
