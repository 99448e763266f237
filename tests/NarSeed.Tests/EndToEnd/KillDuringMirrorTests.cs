using System.Globalization;
using System.Net;
using NarSeed.Catalog;
using NarSeed.Substitutes.Tests;
using NarSeed.TestSupport;

namespace NarSeed.Tests.EndToEnd;

/// <summary>
/// A real <c>narseed serve</c> process is killed with SIGKILL while it downloads a nar from a rate-limited nginx origin
/// (the real Nix cache); a restart repairs the state directory (partial files gone, catalog consistent) and mirroring
/// resumes and completes.
/// </summary>
public sealed class KillDuringMirrorTests(RealNixCache nix) : IClassFixture<RealNixCache>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>About 4 s for the directory's 150 KB nar: long enough to be caught mid-download.</summary>
    private const long OriginBytesPerSecond = 40_000;

    /// <summary>Only the directory's nar grows past this; the two tiny nars are committed within milliseconds.</summary>
    private const long PartwayBytes = 8192;

    private readonly TempDirectory _dir = new("narseed-kill-");

    public void Dispose() => _dir.Dispose();

    private RunningProcess StartServe(NginxOrigin origin, int httpPort, int btPort) =>
        RunningProcess.Start(Path.Combine(AppContext.BaseDirectory, "narseed"),
        [
            "serve", "--state", _dir.Combine("state"), "--origin", origin.BaseUrl, "--trusted-key", nix.PublicKey,
            "--root", nix.EnvPath, "--root", nix.NotePath, "--http", $"127.0.0.1:{httpPort}",
            "--bt-port", btPort.ToString(CultureInfo.InvariantCulture),
        ], _dir.Path);

    [Fact]
    public async Task Kill_9_during_mirroring_then_restart_repairs_and_completes()
    {
        await using var origin = await NginxOrigin.StartAsync(nix.CacheDir("xz"), OriginBytesPerSecond);
        var (httpPort, btPort) = (FreePort.Tcp(), FreePort.Tcp());
        var partial = Path.Combine(_dir.Combine("state"), NarStore.DirectoryName, NarStore.TemporaryDirectoryName);

        await using (var first = StartServe(origin, httpPort, btPort))
        {
            var deadline = DateTime.UtcNow + Bound;
            while (!(Directory.Exists(partial) && Directory.EnumerateFiles(partial).Any(f => new FileInfo(f).Length > PartwayBytes)))
            {
                if (DateTime.UtcNow > deadline || first.Process.HasExited)
                    throw new TimeoutException("no partial download appeared:\n" + first.StandardOutputSoFar + first.StandardErrorSoFar);
                await Task.Delay(20);
            }
            first.Kill(); // SIGKILL
            await first.WaitForExitAsync(Bound);
        }
        Directory.EnumerateFiles(partial).Should().NotBeEmpty("the kill left a half-written nar behind");

        await using var second = StartServe(origin, httpPort, btPort);
        await second.WaitForOutputLineAsync(l => l.Contains("Mirror pass finished", StringComparison.Ordinal), Bound);
        second.StandardOutputSoFar.Should().Contain("Recovered after an unclean stop");
        second.StandardOutputSoFar.Should().MatchRegex(@"Mirror pass finished: \d+ mirrored, \d+ already present, 0 failed");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
        foreach (var path in new[] { nix.EnvPath, nix.NotePath })
        {
            (await http.GetAsync(Path.GetFileName(path)[..32] + ".narinfo")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        Directory.EnumerateFiles(partial).Should().BeEmpty();

        var catalog = await NarCatalog.OpenAsync(Path.Combine(_dir.Combine("state"), NarCatalog.FileName),
            TimeProvider.System, default);
        var ready = await catalog.ListNarsAsync(NarState.Ready, default);
        ready.Should().HaveCount(3);
        (await catalog.ListNarsAsync(NarState.Pending, default)).Should().BeEmpty();
        var store = new NarStore(_dir.Combine("state"));
        store.ListFiles().Should().BeEquivalentTo(ready.Select(n => n.LocalPath), "no orphan files, no missing files");
        foreach (var nar in ready)
        {
            (await catalog.FindTorrentAsync(nar.Id, default)).Should().NotBeNull();
            new FileInfo(store.GetPath(nar.LocalPath)).Length.Should().Be(nar.FileSize);
        }
    }
}
