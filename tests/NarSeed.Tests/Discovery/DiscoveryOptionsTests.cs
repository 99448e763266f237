using System.Collections;
using System.CommandLine;
using NarSeed.Hosting;
using NarSeed.Proxy;
using NarSeed.Substitutes.Signatures;
using NarSeed.Tests.Cli;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Discovery;

/// <summary>Discovery settings of the node (BitTorrent:Lsd/Pex/Trackers) and the proxy (Proxy:Lsd/Pex/Trackers).</summary>
public sealed class DiscoveryOptionsTests : IDisposable
{
    private static readonly string Key = NixSecretKey.Generate("discovery-test-1").PublicKey.ToString();

    private readonly TempDirectory _dir = new("narseed-discovery-options-");

    public void Dispose() => _dir.Dispose();

    private NodeOptions LoadNode(params string[] args)
    {
        var command = new Command("serve");
        var flags = new NodeFlags();
        flags.AddTo(command);
        var parse = command.Parse(args);
        parse.Errors.Should().BeEmpty();
        var config = _dir.Combine("config.json");
        File.WriteAllText(config, "{}");
        return NodeServices.LoadOptions(NodeConfiguration.Build(config, flags.ToSettings(parse), new Hashtable(), _dir.Path));
    }

    private ProxyOptions LoadProxy(string[] args, string configJson = "{}")
    {
        var command = new Command("proxy");
        var flags = new ProxyFlags();
        flags.AddTo(command);
        var parse = command.Parse(args);
        parse.Errors.Should().BeEmpty();
        var config = _dir.Combine("proxy.json");
        File.WriteAllText(config, configJson);
        return ProxyHost.LoadOptions(NodeConfiguration.Build(config, flags.ToSettings(parse), new Hashtable(), _dir.Path));
    }

    [Fact]
    public void Node_lsd_and_pex_are_on_by_default_and_each_flag_turns_one_off()
    {
        var defaults = LoadNode();
        defaults.BitTorrent.Lsd.Should().BeTrue();
        defaults.BitTorrent.Pex.Should().BeTrue();
        LoadNode("--no-lsd").BitTorrent.Should().Match<BitTorrentOptions>(b => !b.Lsd && b.Pex);
        LoadNode("--no-pex").BitTorrent.Should().Match<BitTorrentOptions>(b => b.Lsd && !b.Pex);
        LoadNode("--tracker", "udp://127.0.0.1:6969/announce").BitTorrent.Trackers.Should().Equal("udp://127.0.0.1:6969/announce");
    }

    [Theory]
    [InlineData("""{ "BitTorrent": { "Lsd": "maybe" } }""", "BitTorrent:Lsd", "--no-lsd")]
    [InlineData("""{ "BitTorrent": { "Pex": "sometimes" } }""", "BitTorrent:Pex", "--no-pex")]
    [InlineData("""{ "BitTorrent": { "Trackers": [ "tracker.example:80" ] } }""", "BitTorrent:Trackers", "--tracker")]
    public async Task Serve_refuses_bad_discovery_settings_and_names_them(string json, string key, string flag)
    {
        File.WriteAllText(_dir.Combine("bad.json"), json);

        var result = await CliRunner.RunAsync("serve", "--state", _dir.Combine("state"), "--config", _dir.Combine("bad.json"));

        result.ExitCode.Should().Be(2, result.Output);
        result.Error.Should().Contain(key).And.Contain(flag);
        Directory.Exists(_dir.Combine("state")).Should().BeFalse();
    }

    [Fact]
    public void Proxy_flags_set_trackers_lsd_and_pex()
    {
        var defaults = LoadProxy(["--upstream", "http://x", "--trusted-key", Key]);
        defaults.Lsd.Should().BeTrue();
        defaults.Pex.Should().BeTrue();
        defaults.Trackers.Should().BeEmpty();
        var set = LoadProxy(["--upstream", "http://x", "--trusted-key", Key, "--no-lsd", "--no-pex",
            "--tracker", "http://127.0.0.1:6969/announce", "--tracker", "udp://127.0.0.1:6969"]);
        set.Lsd.Should().BeFalse();
        set.Pex.Should().BeFalse();
        set.Trackers.Should().Equal("http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969");
    }

    [Theory]
    [InlineData(new[] { "--tracker", "gopher://t" }, "{}", "Proxy:Trackers (--tracker): 'gopher://t'")]
    [InlineData(new string[0], """{ "Proxy": { "Lsd": "perhaps" } }""", "Lsd")]
    public void Proxy_refuses_bad_discovery_settings_and_names_them(string[] args, string json, string expected)
    {
        FluentActions.Invoking(() => LoadProxy([.. args, "--upstream", "http://x", "--trusted-key", Key], json))
            .Should().Throw<NodeConfigurationException>().Which.Message.Should().Contain(expected);
    }
}
