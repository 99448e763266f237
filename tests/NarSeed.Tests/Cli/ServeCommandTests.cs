using System.Net;
using NarSeed.Tests.Hosting;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

/// <summary>
/// `narseed serve` as its own process, the way systemd runs it: $NOTIFY_SOCKET set, READY=1 once listening, a
/// working substituter endpoint, then SIGTERM → STOPPING=1 and a clean exit.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Narseed => Path.Combine(AppContext.BaseDirectory, "narseed");

    [Fact]
    public async Task Serve_starts_notifies_answers_and_stops_cleanly_on_SIGTERM()
    {
        await File.WriteAllTextAsync(_dir.Combine("config.json"), """{ "Priority": 41 }""");
        using var notify = new NotifySocket(_dir.Combine("notify"));
        var port = FreePort.Tcp();
        await using var node = RunningProcess.Start(Narseed,
            ["serve", "--config", _dir.Combine("config.json"), "--http", $"127.0.0.1:{port}", "--bt-port", "6999"],
            workingDirectory: _dir.Path,
            environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Name });

        (await notify.ReceiveAsync(TimeSpan.FromSeconds(30))).Should().Be("READY=1");
        var line = await node.WaitForOutputLineAsync(l => l.Contains("Substituter at"), TimeSpan.FromSeconds(10));
        line.Should().Contain($"http://127.0.0.1:{port}").And.Contain("nix-cache-info")
            .And.Contain($"http://127.0.0.1:{port}/api/status").And.Contain($"http://127.0.0.1:{port}/metrics");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        (await client.GetStringAsync("api/status")).Should().Contain("\"narsSeeded\":0");
        (await client.GetStringAsync("nix-cache-info")).Should().Contain("Priority: 41");
        (await client.GetAsync("abc.narinfo")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        File.Exists(_dir.Combine("state", "catalog.db")).Should().BeTrue("the default state directory is ./state");

        (await ProcessRunner.RunAsync("kill", ["-TERM", node.Process.Id.ToString()], TimeSpan.FromSeconds(10)))
            .EnsureSuccess("kill -TERM");
        (await notify.ReceiveAsync(TimeSpan.FromSeconds(10))).Should().Be("STOPPING=1");
        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(15));
        exit.ExitCode.Should().Be(0, exit.StandardError);
    }

    [Fact]
    public async Task An_invalid_setting_stops_the_real_process_with_its_name()
    {
        var result = await ProcessRunner.RunAsync(Narseed,
            ["serve", "--config", "/dev/null/none.json", "--bt-port", "0"], TimeSpan.FromSeconds(30),
            workingDirectory: _dir.Path);
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().Contain("--config");

        await File.WriteAllTextAsync(_dir.Combine("config.json"), """{ "Http": "everywhere" }""");
        var bad = await ProcessRunner.RunAsync(Narseed, ["serve", "--config", _dir.Combine("config.json")],
            TimeSpan.FromSeconds(30), workingDirectory: _dir.Path);
        bad.ExitCode.Should().Be(2);
        bad.StandardError.Should().Contain("Http (--http): 'everywhere'");
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_start_up_error()
    {
        using var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        await File.WriteAllTextAsync(_dir.Combine("config.json"), "{}");

        var result = await ProcessRunner.RunAsync(Narseed,
            ["serve", "--config", _dir.Combine("config.json"), "--http", $"127.0.0.1:{port}"],
            TimeSpan.FromSeconds(30), workingDirectory: _dir.Path);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("cannot start").And.Contain(port.ToString());
    }
}
