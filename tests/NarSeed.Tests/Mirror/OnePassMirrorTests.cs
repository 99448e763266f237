using NarSeed.BitTorrent.Metainfo;
using NarSeed.Catalog;
using NarSeed.Seeding;
using NarSeed.Substitutes.Tests;
using NarSeed.Tests.EndToEnd;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Mirror;

/// <summary>
/// The node mirrors a real Nix cache (zstd, built by Nix 2.8) from real nginx in hybrid mode, one narinfo stripped of
/// its FileSize (which Nix's signature does not cover): every torrent the node serves — hashed while its nar
/// downloaded, or, without FileSize, from the stored file — must be the one TorrentBuilder makes from the stored file.
/// </summary>
public sealed class OnePassMirrorTests(RealNixCache nix) : IClassFixture<RealNixCache>, IDisposable
{
    private readonly TempDirectory _dir = new("narseed-one-pass-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Torrents_hashed_during_the_download_equal_the_ones_built_from_the_stored_files()
    {
        var cache = _dir.Combine("cache");
        Directory.CreateDirectory(cache);
        foreach (var file in Directory.EnumerateFiles(nix.CacheDir("zstd"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(cache, Path.GetRelativePath(nix.CacheDir("zstd"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var noteInfo = Path.Combine(cache, Path.GetFileName(nix.NotePath)[..32] + ".narinfo");
        var lines = await File.ReadAllLinesAsync(noteInfo);
        lines.Should().Contain(l => l.StartsWith("FileSize: ", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(noteInfo, lines.Where(l => !l.StartsWith("FileSize: ", StringComparison.Ordinal)));

        await using var origin = await NginxOrigin.StartAsync(cache);
        await using var node = await InProcessNode.StartAsync(_dir.Path,
            new("Origins:0", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey), new("BitTorrent:Hybrid", "true"),
            new("Roots:0", nix.EnvPath), new("Roots:1", nix.NotePath));
        await node.WaitForPassesAsync(1, TimeSpan.FromSeconds(60));

        node.Progress.TotalFailures.Should().Be(0);
        var catalog = node.Service<NarCatalog>();
        var store = node.Service<NarStore>();
        var nars = await catalog.ListNarsAsync(NarState.Ready, default);
        nars.Should().HaveCount(3);
        foreach (var nar in nars)
        {
            var served = TorrentReader.Read(await node.Http.GetByteArrayAsync(nar.HashPart + ".torrent"));
            var (built, _) = await NarTorrents.BuildAsync(nar.Id, store.GetPath(nar.LocalPath), nar.LocalPath,
                nar.OriginUrl, hybrid: true, [], default);
            served.InfoHashV2Hex.Should().Be(built.InfoHashV2Hex, nar.LocalPath);
            served.InfoHashV1Hex.Should().NotBeNull().And.Be(built.InfoHashV1Hex, nar.LocalPath);
            served.PieceLayer.ToArray().Should().Equal(built.PieceLayer.ToArray());
            served.Length.Should().Be(new FileInfo(store.GetPath(nar.LocalPath)).Length);
        }
    }
}
