using System.Collections;
using System.CommandLine;
using NarSeed.Hosting;
using NarSeed.Proxy;
using NarSeed.Substitutes.Signatures;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>The proxy's configuration: flags over environment over config file, and messages that name the setting.</summary>
public sealed class ProxyOptionsTests : IDisposable
{
    private static readonly string Key = NixSecretKey.Generate("proxy-test-1").PublicKey.ToString();

    private readonly TempDirectory _dir = new("narseed-proxy-options-");

    public void Dispose() => _dir.Dispose();

    private ProxyOptions Load(string[] args, string configJson = "{}", Hashtable? environment = null)
    {
        var command = new Command("proxy");
        var flags = new ProxyFlags();
        flags.AddTo(command);
        var parse = command.Parse(args);
        parse.Errors.Should().BeEmpty();
        var config = _dir.Combine("config.json");
        File.WriteAllText(config, configJson);
        var configuration = NodeConfiguration.Build(config, flags.ToSettings(parse), environment ?? new Hashtable(), _dir.Path);
        return ProxyHost.LoadOptions(configuration);
    }

    [Fact]
    public void Flags_set_every_setting_and_the_defaults_fill_the_rest()
    {
        var options = Load(["--listen", "127.0.0.1:9999", "--upstream", "http://127.0.0.1:1/", "--upstream", "https://cache.example",
            "--trusted-key", Key, "--cache-size", "1000", "--seed-after-fetch", "30m", "--peer", "127.0.0.1:6881", "--state", "/tmp/x"]);
        options.Listen.Should().Be("127.0.0.1:9999");
        options.Upstreams.Should().Equal("http://127.0.0.1:1/", "https://cache.example");
        options.TrustedKeys.Should().Equal(Key);
        options.CacheSize.Should().Be(1000);
        options.SeedAfterFetch.Should().Be(TimeSpan.FromMinutes(30));
        options.Peers.Should().Equal("127.0.0.1:6881");
        options.State.Should().Be("/tmp/x");
        options.NarInfoTimeout.Should().BeLessThan(TimeSpan.FromSeconds(1), "a miss must be a 404 within a second");

        var defaults = Load(["--upstream", "http://127.0.0.1:1/", "--trusted-key", Key]);
        defaults.Listen.Should().Be(ProxyOptions.DefaultListen);
        defaults.SeedAfterFetch.Should().Be(TimeSpan.Zero, "seeding after a fetch is off by default");
        defaults.CacheSize.Should().Be(ProxyOptions.DefaultCacheSize);
    }

    [Fact]
    public void Flags_beat_the_environment_which_beats_the_config_file()
    {
        var json = $$"""{ "Proxy": { "Upstreams": ["http://file/"], "TrustedKeys": ["{{Key}}"], "CacheSize": 1, "Listen": "127.0.0.1:1" } }""";
        var environment = new Hashtable { ["NARSEED__PROXY__CACHESIZE"] = "2", ["NARSEED__PROXY__LISTEN"] = "127.0.0.1:2" };
        var options = Load(["--listen", "127.0.0.1:3"], json, environment);
        options.Upstreams.Should().Equal("http://file/");
        options.CacheSize.Should().Be(2);
        options.Listen.Should().Be("127.0.0.1:3");
    }

    [Theory]
    [InlineData(new string[0], "Proxy:Upstreams (--upstream)")]
    [InlineData(new[] { "--upstream", "ftp://x" }, "'ftp://x' is not an http(s) URL")]
    [InlineData(new[] { "--upstream", "http://x", "--trusted-key", "nonsense" }, "Proxy:TrustedKeys (--trusted-key): 'nonsense'")]
    [InlineData(new[] { "--upstream", "http://x", "--dialect", "guix", "--trusted-key", "/nonexistent/key.pub" }, "Proxy:TrustedKeys (--trusted-key): '/nonexistent/key.pub'")]
    [InlineData(new[] { "--upstream", "http://x", "--listen", "nowhere" }, "Proxy:Listen (--listen)")]
    [InlineData(new[] { "--upstream", "http://x", "--peer", "127.0.0.1" }, "Proxy:Peers (--peer)")]
    [InlineData(new[] { "--upstream", "http://x", "--cache-size", "-1" }, "Proxy:CacheSize (--cache-size)")]
    public void A_bad_setting_stops_the_proxy_with_a_message_naming_it(string[] args, string expected)
    {
        var withKey = args.Contains("--trusted-key") ? args : [.. args, "--trusted-key", Key];
        FluentActions.Invoking(() => Load(withKey)).Should().Throw<NodeConfigurationException>()
            .Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void An_unknown_key_in_the_proxy_section_is_an_error()
    {
        FluentActions.Invoking(() => Load(["--trusted-key", Key], """{ "Proxy": { "Upstream": ["http://x"] } }"""))
            .Should().Throw<NodeConfigurationException>().Which.Message.Should().Contain("Upstream");
    }
}
