using NarSeed.Tests.Cli;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Hosting;

/// <summary>Invalid configuration, through the real `narseed serve` command: exit code 2, the setting named.</summary>
public sealed class NodeOptionsValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public NodeOptionsValidationTests() => File.WriteAllText(_dir.Combine("config.json"), "{}");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(new[] { "--bt-port", "70000" }, "--bt-port")]
    [InlineData(new[] { "--http", "localhost" }, "Http (--http)")]
    [InlineData(new[] { "--http", "::1:8080" }, "Http (--http)")]
    [InlineData(new[] { "--origin", "ftp://cache.example", "--trusted-key", "k-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" }, "Origins (--origin)")]
    [InlineData(new[] { "--trusted-key", "cache.nixos.org-1:AAAA" }, "TrustedKeys (--trusted-key)")]
    [InlineData(new[] { "--dialect", "guix" }, "Origins (--origin)")]
    [InlineData(new[] { "--dialect", "debian" }, "--dialect")]
    [InlineData(new[] { "--root", "/nix/store/nothing-here" }, "Roots (--root)")]
    [InlineData(new[] { "--tracker", "gopher://t" }, "BitTorrent:Trackers (--tracker)")]
    [InlineData(new[] { "--signing-key", "/no/such/key" }, "SigningKey (--signing-key)")]
    [InlineData(new[] { "--disk-quota", "0" }, "--disk-quota")]
    [InlineData(new[] { "--upload-limit", "-5" }, "--upload-limit")]
    public async Task Serve_refuses_to_start_and_names_the_setting(string[] flags, string named)
    {
        string[] args = ["serve", "--state", _dir.Combine("state"), "--config", _dir.Combine("config.json"), .. flags];

        var result = await CliRunner.RunAsync(args);

        result.ExitCode.Should().Be(2, result.Output);
        result.Error.Should().Contain("invalid configuration").And.Contain(named);
        Directory.Exists(_dir.Combine("state")).Should().BeFalse("nothing is created before the configuration is valid");
    }

    [Fact]
    public async Task A_bad_config_file_is_named_with_the_key_at_fault()
    {
        File.WriteAllText(_dir.Combine("bad.json"), """{ "BitTorrent": { "Port": "many" } }""");
        File.WriteAllText(_dir.Combine("typo.json"), """{ "Orgins": [ "https://x" ] }""");
        File.WriteAllText(_dir.Combine("broken.json"), """{ "Http": """);

        var bad = await CliRunner.RunAsync("serve", "--config", _dir.Combine("bad.json"));
        var typo = await CliRunner.RunAsync("serve", "--config", _dir.Combine("typo.json"));
        var broken = await CliRunner.RunAsync("serve", "--config", _dir.Combine("broken.json"));
        var missing = await CliRunner.RunAsync("serve", "--config", _dir.Combine("missing.json"));

        bad.ExitCode.Should().Be(2);
        bad.Error.Should().Contain("BitTorrent:Port").And.Contain("--bt-port");
        typo.Error.Should().Contain("'Orgins'");
        broken.Error.Should().Contain("not valid JSON");
        missing.Error.Should().Contain("does not exist");
    }
}
