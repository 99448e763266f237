using System.Net;
using System.Text.Json;
using NarSeed.Substitutes.Signatures;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>`narseed proxy` as its own process: it starts, answers as a substituter, stops on SIGTERM; bad settings are named.</summary>
public sealed class ProxyCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("narseed-proxy-cli-");

    public void Dispose() => _dir.Dispose();

    private static string Narseed => Path.Combine(AppContext.BaseDirectory, "narseed");

    [Fact]
    public async Task Proxy_starts_answers_and_stops_cleanly_on_SIGTERM()
    {
        await File.WriteAllTextAsync(_dir.Combine("config.json"), "{}");
        var deadUpstream = $"http://127.0.0.1:{FreePort.Tcp()}";
        await using var proxy = RunningProcess.Start(Narseed,
        [
            "proxy", "--config", _dir.Combine("config.json"), "--listen", "127.0.0.1:0", "--upstream", deadUpstream,
            "--trusted-key", NixSecretKey.Generate("cli-test-1").PublicKey.ToString(), "--seed-after-fetch", "0",
        ], workingDirectory: _dir.Path);
        var line = await proxy.WaitForOutputLineAsync(l => l.Contains("Proxy substituter at"), TimeSpan.FromSeconds(30));
        // Port 0: the system picks the port (nothing to race for) and the proxy logs the one it got.
        var match = System.Text.RegularExpressions.Regex.Match(line, @"Proxy substituter at http://127\.0\.0\.1:(\d+);");
        match.Success.Should().BeTrue(line);
        var port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        port.Should().BePositive();
        line.Should().Contain(deadUpstream);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        (await client.GetStringAsync("nix-cache-info")).Should().Contain("StoreDir: /nix/store");
        (await client.GetAsync(new string('a', 32) + ".narinfo")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var status = JsonDocument.Parse(await client.GetStringAsync("api/proxy/status")).RootElement;
        status.GetProperty("totals").GetProperty("narInfoMisses").GetInt64().Should().Be(1);
        Directory.Exists(_dir.Combine("proxy-state", "cache")).Should().BeTrue("the default state directory is ./proxy-state");

        (await ProcessRunner.RunAsync("kill", ["-TERM", proxy.Process.Id.ToString()], TimeSpan.FromSeconds(10))).EnsureSuccess("kill -TERM");
        var exit = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(15));
        exit.ExitCode.Should().Be(0, exit.StandardError);
    }

    [Fact]
    public async Task An_invalid_setting_stops_the_real_process_with_its_name()
    {
        await File.WriteAllTextAsync(_dir.Combine("config.json"), """{ "Proxy": { "Upstreams": ["http://127.0.0.1:1"] } }""");
        var result = await ProcessRunner.RunAsync(Narseed,
            ["proxy", "--config", _dir.Combine("config.json"), "--listen", "everywhere"], TimeSpan.FromSeconds(30),
            workingDirectory: _dir.Path);
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("Proxy:Listen (--listen): 'everywhere'")
            .And.Contain("Proxy:TrustedKeys (--trusted-key)");
    }
}
