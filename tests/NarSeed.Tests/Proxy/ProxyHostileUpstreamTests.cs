using System.Diagnostics;
using System.Net;
using System.Text;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.Substitutes.Tests;
using NarSeed.Tests.EndToEnd;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// Issue 7: "when nobody has it: 404, fast — never a 5xx or a hang". The proxy's upstreams are real nginx serving a
/// real Nix 2.8 cache and, next to it, upstreams that answer 500, garbage, a cut body, an oversized narinfo, bytes that
/// are not HTTP at all, another path's signed narinfo, and a signed narinfo whose nar answers 500. Nix must only ever see 200 or 404.
/// </summary>
[Collection(NarSeed.Tests.Support.TimingSensitiveCollection.Name)]
public sealed class ProxyHostileUpstreamTests(RealNixCache nix) : IClassFixture<RealNixCache>, IDisposable
{
    /// <summary>Issue 7's bound for a miss.</summary>
    private static readonly TimeSpan MissBound = TimeSpan.FromSeconds(1);

    private readonly TempDirectory _dir = new("narseed-proxy-hostile-");

    public void Dispose() => _dir.Dispose();

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];

    [Fact]
    public async Task Upstreams_that_fail_500_send_garbage_cut_or_oversized_replies_give_404s_never_a_5xx_and_good_paths_still_come_through()
    {
        var cache = nix.CacheDir("xz");
        var env = Hash(nix.EnvPath);
        var note = Hash(nix.NotePath);
        // nginx serves the real cache without the note, which only the upstream whose nar answers 500 has.
        var originDir = Directory.CreateDirectory(_dir.Combine("origin")).FullName;
        foreach (var file in Directory.GetFiles(cache).Where(f => !Path.GetFileName(f).StartsWith(note, StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(originDir, Path.GetFileName(file)));
        }
        Directory.CreateDirectory(Path.Combine(originDir, "nar"));
        foreach (var file in Directory.GetFiles(Path.Combine(cache, "nar"))) File.Copy(file, Path.Combine(originDir, "nar", Path.GetFileName(file)));
        await using var origin = await NginxOrigin.StartAsync(originDir);

        var envText = await File.ReadAllBytesAsync(Path.Combine(cache, env + ".narinfo"));
        var noteText = await File.ReadAllBytesAsync(Path.Combine(cache, note + ".narinfo"));
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);
        var oversized = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Filler: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 200_000)));

        await using var failing = await HostileUpstream.StartAsync(c => { c.Response.StatusCode = 500; return Task.CompletedTask; });
        await using var garbled = await HostileUpstream.StartAsync(c => c.Response.Body.WriteAsync(garbage).AsTask());
        await using var cut = await HostileUpstream.StartAsync(c => HostileUpstream.CutAsync(c, envText));
        await using var huge = await HostileUpstream.StartAsync(c => c.Response.Body.WriteAsync(oversized).AsTask());
        // The real, signed narinfo of the note; its nar (and everything else) answers 500.
        await using var narFails = await HostileUpstream.StartAsync(c =>
        {
            if (c.Request.Path == $"/{note}.narinfo") return c.Response.Body.WriteAsync(noteText).AsTask();
            c.Response.StatusCode = c.Request.Path.StartsWithSegments("/nar") ? 500 : 404;
            return Task.CompletedTask;
        });
        // Another path's real, signed narinfo for every name (Nix: "asked for … but got …").
        await using var otherPath = await HostileUpstream.StartAsync(c =>
        {
            if (c.Request.Path == $"/{env}.narinfo") c.Response.StatusCode = 404;
            return c.Response.StatusCode == 404 ? Task.CompletedTask : c.Response.Body.WriteAsync(envText).AsTask();
        });
        using var notHttp = HostileUpstream.StartNotHttp(out var notHttpUrl);
        try
        {
            await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("proxy"),
                new("Upstreams:0", failing.BaseUrl), new("Upstreams:1", garbled.BaseUrl), new("Upstreams:2", cut.BaseUrl),
                new("Upstreams:3", huge.BaseUrl), new("Upstreams:4", notHttpUrl), new("Upstreams:5", narFails.BaseUrl),
                new("Upstreams:6", otherPath.BaseUrl), new("Upstreams:7", origin.BaseUrl), new("TrustedKeys:0", nix.PublicKey));
            var statuses = new List<(string What, HttpStatusCode Status)>();

            // A path that exists nowhere: a 404 within a second, for HEAD (Nix's first request) and GET.
            var missing = new string('0', 32);
            foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get })
            {
                var clock = Stopwatch.StartNew();
                var response = await proxy.Http.SendAsync(new HttpRequestMessage(method, missing + ".narinfo"));
                clock.Elapsed.Should().BeLessThan(MissBound, "{0} of a missing narinfo", method);
                response.StatusCode.Should().Be(HttpStatusCode.NotFound);
                statuses.Add(($"{method} missing narinfo", response.StatusCode));
            }

            // A path the origin has comes through with the origin's signature and bytes despite the others.
            var served = await proxy.Http.GetAsync(env + ".narinfo");
            statuses.Add(("env narinfo", served.StatusCode));
            served.StatusCode.Should().Be(HttpStatusCode.OK);
            var info = NixNarInfo.Parse(await served.Content.ReadAsStringAsync());
            NixSignatureVerifier.Verify(info, [NixPublicKey.Parse(nix.PublicKey)]).Verdict.Should().Be(SignatureVerdict.Valid);
            var nar = await proxy.Http.GetAsync(info.Url);
            statuses.Add(("env nar", nar.StatusCode));
            var originInfo = NixNarInfo.Parse(Encoding.UTF8.GetString(envText));
            (await nar.Content.ReadAsByteArrayAsync()).Should().Equal(await File.ReadAllBytesAsync(Path.Combine(cache, originInfo.Url)));

            // A narinfo whose only nar source answers 500 (after the client's retries): a clean 404, not a 5xx.
            var noteInfo = NixNarInfo.Parse(await proxy.Http.GetStringAsync(note + ".narinfo"));
            var noteClock = Stopwatch.StartNew();
            var noteNar = await proxy.Http.GetAsync(noteInfo.Url);
            statuses.Add(("note nar from a failing upstream", noteNar.StatusCode));
            noteNar.StatusCode.Should().Be(HttpStatusCode.NotFound);
            noteClock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the nar client's retries are bounded");

            statuses.Should().OnlyContain(s => (int)s.Status < 500, string.Join(", ", statuses));
            foreach (var upstream in new[] { failing, garbled, cut, huge, narFails, otherPath })
            {
                upstream.Requests.Should().Contain($"/{missing}.narinfo", "every upstream was asked");
            }
            narFails.Requests.Should().Contain(r => r.StartsWith("/nar/", StringComparison.Ordinal), "the nar was tried there");
            var status = await proxy.StatusAfterFetchesAsync(2);
            var totals = status.GetProperty("totals");
            totals.GetProperty("failedFetches").GetInt64().Should().Be(1, status.ToString());
            totals.GetProperty("narInfoMisses").GetInt64().Should().Be(2);
        }
        finally
        {
            notHttp.Stop();
        }
    }

    [Fact]
    public async Task A_nar_url_that_never_answers_gives_a_404_once_the_first_byte_deadline_passes_not_a_hang()
    {
        var cache = nix.CacheDir("xz");
        var note = Hash(nix.NotePath);
        var noteText = await File.ReadAllBytesAsync(Path.Combine(cache, note + ".narinfo"));
        // The real, signed narinfo; its nar request is accepted and then never answered.
        await using var hanging = await HostileUpstream.StartAsync(async c =>
        {
            if (c.Request.Path == $"/{note}.narinfo")
            {
                await c.Response.Body.WriteAsync(noteText);
                return;
            }
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var proxy = await InProcessProxy.StartAsync(_dir.Combine("proxy-hang"),
            new("Upstreams:0", hanging.BaseUrl), new("TrustedKeys:0", nix.PublicKey),
            new("OriginFirstByteTimeout", "00:00:02"));

        var info = NixNarInfo.Parse(await proxy.Http.GetStringAsync(note + ".narinfo"));
        var clock = Stopwatch.StartNew();
        var nar = await proxy.Http.GetAsync(info.Url);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9), "the deadline is 2 s");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8), "the client's retries must not outlast the deadline");
        nar.StatusCode.Should().Be(HttpStatusCode.NotFound, "Nix then moves on to its next substituter");
        hanging.Requests.Should().Contain(r => r.StartsWith("/nar/", StringComparison.Ordinal));
        var status = await proxy.StatusAfterFetchesAsync(1);
        status.GetProperty("totals").GetProperty("failedFetches").GetInt64().Should().Be(1, status.ToString());
    }
}
