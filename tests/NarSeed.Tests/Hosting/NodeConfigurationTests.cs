using System.Collections;
using System.CommandLine;
using NarSeed.Hosting;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Hosting;

public sealed class NodeConfigurationTests : IDisposable
{
    private const string KeyA = "a-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";
    private const string KeyB = "b-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private NodeOptions Load(string[] flags, Hashtable environment, string? configFile = null)
    {
        var command = new Command("serve");
        var nodeFlags = new NodeFlags();
        nodeFlags.AddTo(command);
        var parse = command.Parse(flags);
        parse.Errors.Should().BeEmpty();
        var configuration = NodeConfiguration.Build(configFile ?? _dir.Combine("config.json"),
            nodeFlags.ToSettings(parse), environment, _dir.Path);
        return NodeServices.LoadOptions(configuration);
    }

    private void WriteLayers()
    {
        File.WriteAllText(_dir.Combine(NodeConfiguration.AppSettingsFile), """
            { "Http": "127.0.0.1:1001", "Priority": 10, "BitTorrent": { "Port": 1001 },
              "Origins": [ "https://app.one", "https://app.two" ] }
            """);
        File.WriteAllText(_dir.Combine("config.json"), $$"""
            { "Http": "127.0.0.1:2002", "BitTorrent": { "Port": 2002, "Trackers": [ "udp://t:1" ] },
              "Origins": [ "https://file.one", "https://file.two", "https://file.three" ],
              "TrustedKeys": [ "{{KeyA}}" ], "Gc": { "Grace": "2.00:00:00" } }
            """);
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_and_lists_are_replaced_not_merged()
    {
        WriteLayers();
        var environment = new Hashtable
        {
            ["NARSEED__BITTORRENT__PORT"] = "3003",
            ["NARSEED__ORIGINS__0"] = "https://env.one",
            ["NARSEED__GC__DISKQUOTA"] = "12345",
            ["UNRELATED"] = "x",
        };

        var fromEnvironment = Load([], environment);
        fromEnvironment.Priority.Should().Be(10, "appsettings.json");
        fromEnvironment.Http.Should().Be("127.0.0.1:2002", "the config file beats appsettings.json");
        fromEnvironment.BitTorrent.Port.Should().Be(3003, "the environment beats the config file");
        fromEnvironment.Origins.Should().Equal(["https://env.one"], "a list is replaced whole, not index by index");
        fromEnvironment.TrustedKeys.Should().Equal(KeyA);
        fromEnvironment.BitTorrent.Trackers.Should().Equal("udp://t:1");
        fromEnvironment.Gc.Grace.Should().Be(TimeSpan.FromDays(2));
        fromEnvironment.Gc.DiskQuota.Should().Be(12345);

        var fromFlags = Load(["--bt-port", "4004", "--origin", "https://flag.one", "--origin", "https://flag.two",
            "--trusted-key", KeyB, "--gc-grace", "36h", "--hybrid", "--upload-limit", "1000"], environment);
        fromFlags.BitTorrent.Port.Should().Be(4004, "flags beat everything");
        fromFlags.Origins.Should().Equal("https://flag.one", "https://flag.two");
        fromFlags.TrustedKeys.Should().Equal(KeyB);
        fromFlags.Gc.Grace.Should().Be(TimeSpan.FromHours(36));
        fromFlags.BitTorrent.Hybrid.Should().BeTrue();
        fromFlags.BitTorrent.UploadLimit.Should().Be(1000);
        fromFlags.Http.Should().Be("127.0.0.1:2002");
    }

    [Fact]
    public void With_nothing_configured_the_embedded_defaults_apply()
    {
        File.WriteAllText(_dir.Combine("config.json"), "{}");

        var options = Load([], new Hashtable());

        options.State.Should().Be(Path.GetFullPath("state"));
        options.Origins.Should().Equal(NodeOptions.DefaultOrigin);
        options.TrustedKeys.Should().Equal("cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=");
        options.Http.Should().Be("127.0.0.1:8080");
        options.BitTorrent.Port.Should().Be(6881);
        options.BitTorrent.Hybrid.Should().BeFalse();
        options.BitTorrent.UploadLimit.Should().BeNull();
        options.Dialect.Should().Be(StoreDialect.Nix);
        options.StoreDirectory.Should().Be("/nix/store");
        options.Gc.Grace.Should().Be(TimeSpan.FromDays(30));
        options.Gc.DiskQuota.Should().BeNull();
    }

    [Fact]
    public void Under_systemd_the_state_directory_comes_from_STATE_DIRECTORY()
    {
        File.WriteAllText(_dir.Combine("config.json"), "{}");

        var options = Load([], new Hashtable { ["STATE_DIRECTORY"] = "/var/lib/nar-seed:/var/lib/other" });

        options.State.Should().Be("/var/lib/nar-seed");
        Load(["--state", "/srv/x"], new Hashtable { ["STATE_DIRECTORY"] = "/var/lib/nar-seed" }).State
            .Should().Be("/srv/x");
    }

    [Fact]
    public void An_origin_other_than_the_default_does_not_inherit_the_default_key()
    {
        File.WriteAllText(_dir.Combine("config.json"), "{}");

        var load = () => Load(["--origin", "https://mine.example"], new Hashtable());

        load.Should().Throw<NodeConfigurationException>().WithMessage("*TrustedKeys (--trusted-key)*");
    }

    [Theory]
    [InlineData("12h", 12 * 60)]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("1.12:00:00", 36 * 60)]
    [InlineData("0s", 0)]
    public void Durations_parse_in_every_accepted_form(string text, int minutes)
    {
        DurationText.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromMinutes(minutes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("-1d")]
    [InlineData("1e400d")]
    [InlineData("d")]
    public void Nonsense_durations_are_refused(string text) =>
        DurationText.TryParse(text, out _).Should().BeFalse();
}
