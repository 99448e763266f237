using System.Net;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.Hosting;
using NarSeed.Mirror;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Tests;
using NarSeed.TestSupport;

namespace NarSeed.Tests.EndToEnd;

/// <summary>
/// Real Nix cache behind real nginx, with one path's nar bytes corrupted and another path's narinfo signature
/// tampered with: both are refused, counted and never seeded or served; the rest of the closure is mirrored. Then GC:
/// removing a root stops seeding what only it reached, keeps what is shared, and deletes after the grace period.
/// </summary>
public sealed class BadOriginTests(RealNixCache nix) : IClassFixture<RealNixCache>, IDisposable
{
    private static readonly TimeSpan MirrorTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new("narseed-bad-origin-");

    public void Dispose() => _dir.Dispose();

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task Wrong_nar_bytes_and_a_bad_signature_are_refused_and_the_rest_is_mirrored()
    {
        var cache = _dir.Combine("cache");
        CopyDirectory(nix.CacheDir("xz"), cache);
        var envInfo = NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(cache, Hash(nix.EnvPath) + ".narinfo")));
        var depHash = envInfo.References.Select(r => r.HashPart).Single(h => h != Hash(nix.EnvPath));
        // The directory's nar: one byte flipped in the middle (same size, wrong FileHash, wrong NarHash).
        var depInfo = NixNarInfo.Parse(await File.ReadAllTextAsync(Path.Combine(cache, depHash + ".narinfo")));
        var depNar = Path.Combine(cache, depInfo.Url);
        var bytes = await File.ReadAllBytesAsync(depNar);
        bytes[bytes.Length / 2] ^= 0x55;
        await File.WriteAllBytesAsync(depNar, bytes);
        // The note's narinfo: its signature altered (still well-formed base64 of 64 bytes).
        var notePath = Path.Combine(cache, Hash(nix.NotePath) + ".narinfo");
        var noteText = await File.ReadAllTextAsync(notePath);
        var sigAt = noteText.IndexOf("Sig: narseed-test-1:", StringComparison.Ordinal) + "Sig: narseed-test-1:".Length;
        var tampered = noteText[..sigAt] + (noteText[sigAt] == 'A' ? 'B' : 'A') + noteText[(sigAt + 1)..];
        await File.WriteAllTextAsync(notePath, tampered);

        await using var origin = await NginxOrigin.StartAsync(cache);
        await using var node = await InProcessNode.StartAsync(_dir.Path,
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey),
            new("Roots:0", nix.EnvPath), new("Roots:1", nix.NotePath));
        await node.WaitForPassesAsync(1, MirrorTimeout);

        node.Progress.Mirrored.Should().Be(1, "only env is intact");
        node.Progress.Failures(MirrorFailure.NarBytes).Should().Be(1);
        node.Progress.Failures(MirrorFailure.Signature).Should().Be(1);
        node.Progress.Failures(MirrorFailure.Transfer).Should().Be(0);
        node.Seeding.Count.Should().Be(1);
        node.Seeding.TryGetByHash(Hash(nix.EnvPath), out _).Should().BeTrue();
        (await node.Http.GetAsync(Hash(nix.EnvPath) + ".narinfo")).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var refused in new[] { depHash, Hash(nix.NotePath) })
        {
            (await node.Http.GetAsync(refused + ".narinfo")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await node.Http.GetAsync(refused + ".torrent")).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await node.Service<NarCatalog>().FindNarAsync(refused, default)).Should().BeNull();
        }
        var store = node.Service<NarStore>();
        store.ListFiles().Should().ContainSingle();
        Directory.EnumerateFiles(store.TemporaryDirectory).Should().BeEmpty("refused downloads are deleted");
    }

    [Fact]
    public async Task Removing_a_root_stops_seeding_what_only_it_reached_and_deletes_after_the_grace_period()
    {
        await using var origin = await NginxOrigin.StartAsync(nix.CacheDir("zstd"));
        await using var node = await InProcessNode.StartAsync(_dir.Path,
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey), new("Gc:Grace", "00:00:01"));
        var catalog = node.Service<NarCatalog>();
        // Roots added at run time, as `narseed roots add` does; then a mirror pass.
        await catalog.AddRootAsync(nix.EnvPath, RootSource.CommandLine, default);
        await catalog.AddRootAsync(nix.NotePath, RootSource.CommandLine, default);
        await node.Service<NarMirror>().RunPassAsync(default);
        node.Seeding.Count.Should().Be(3);
        var depHash = (await catalog.FindStorePathAsync(Hash(nix.EnvPath), default))!.References
            .Single(h => h != Hash(nix.EnvPath));

        await catalog.RemoveRootAsync(nix.EnvPath, default);
        var gc = node.Service<GarbageCollector>();
        var options = node.Service<Microsoft.Extensions.Options.IOptions<NodeOptions>>().Value.Gc;
        var report = await gc.CollectAsync(options, dryRun: false, default);
        report.Retired.Select(n => n.HashPart).Should().Equal(Hash(nix.EnvPath));
        node.Seeding.TryGetByHash(Hash(nix.EnvPath), out _).Should().BeFalse("env is reached by no root now");
        node.Seeding.TryGetByHash(depHash, out _).Should().BeTrue("the note still refers to the directory");
        node.Seeding.TryGetByHash(Hash(nix.NotePath), out _).Should().BeTrue();
        node.Seeding.Engine!.TorrentCount.Should().Be(2);
        (await node.Http.GetAsync(Hash(nix.EnvPath) + ".narinfo")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var envFile = (await catalog.FindNarAsync(Hash(nix.EnvPath), default))!.LocalPath;
        File.Exists(node.Service<NarStore>().GetPath(envFile)).Should().BeTrue("the grace period has not passed");

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await gc.CollectAsync(options, dryRun: false, default);
        File.Exists(node.Service<NarStore>().GetPath(envFile)).Should().BeFalse();
        (await catalog.FindNarAsync(Hash(nix.EnvPath), default)).Should().BeNull();
        node.Seeding.Count.Should().Be(2);
    }
}
