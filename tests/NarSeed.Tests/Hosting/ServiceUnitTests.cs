using NarSeed.TestSupport;

namespace NarSeed.Tests.Hosting;

/// <summary>
/// The top-level nar-seed.service, checked by systemd itself. `systemd-analyze verify` needs ExecStart's binary to
/// exist, so a copy is verified whose ExecStart points at the narseed built next to the tests. It exits 0 even for
/// directives it ignores ("Failed to parse …, ignoring"), so any diagnostic fails the test too.
/// </summary>
public class ServiceUnitTests
{
    private const string InstalledExecutable = "/usr/lib/narseed/narseed";

    private static string UnitText() => File.ReadAllText(Path.Combine(RepositoryRoot(), "nar-seed.service"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NarSeed.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("NarSeed.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> VerifyAsync(string unitText)
    {
        using var dir = new TempDirectory();
        var narseed = Path.Combine(AppContext.BaseDirectory, "narseed");
        File.Exists(narseed).Should().BeTrue();
        var path = dir.Combine("nar-seed.service");
        await File.WriteAllTextAsync(path, unitText.Replace($"ExecStart={InstalledExecutable}", $"ExecStart={narseed}"));
        var result = await ProcessRunner.RunAsync(ExternalTool.Require("systemd-analyze"),
            ["verify", "--man=no", path], TimeSpan.FromSeconds(60));
        return result.ExitCode == 0 ? result.StandardError.Trim() : $"exit {result.ExitCode}: {result.StandardError}";
    }

    [Fact]
    public async Task Systemd_accepts_the_unit_without_a_single_diagnostic()
    {
        var text = UnitText();
        text.Should().Contain($"ExecStart={InstalledExecutable} serve");

        (await VerifyAsync(text)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_check_catches_a_broken_unit()
    {
        var broken = UnitText().Replace("Type=notify", "Type=notfy");

        (await VerifyAsync(broken)).Should().Contain("notfy");
    }

    [Fact]
    public void The_unit_runs_serve_sandboxed_with_notify_and_a_restart_policy()
    {
        var service = UnitText().Split('\n').Select(l => l.Trim())
            .SkipWhile(l => l != "[Service]").Skip(1).TakeWhile(l => !l.StartsWith('['))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

        service.Should().Contain(new Dictionary<string, string>
        {
            ["Type"] = "notify",
            ["StateDirectory"] = "nar-seed",
            ["ConfigurationDirectory"] = "nar-seed",
            ["DynamicUser"] = "yes",
            ["NoNewPrivileges"] = "yes",
            ["ProtectSystem"] = "strict",
            ["ProtectHome"] = "yes",
            ["PrivateTmp"] = "yes",
            ["RestrictAddressFamilies"] = "AF_UNIX AF_INET AF_INET6",
            ["Restart"] = "on-failure",
            ["RestartPreventExitStatus"] = "2",
        });
    }

    [Fact]
    public void The_packaged_example_config_is_a_valid_configuration_of_the_defaults()
    {
        var example = Path.Combine(RepositoryRoot(), "packaging", "config.json");
        var configuration = NarSeed.Hosting.NodeConfiguration.Build(example, [], new System.Collections.Hashtable(),
            Path.GetTempPath());

        var options = NarSeed.Hosting.NodeServices.LoadOptions(configuration);

        options.Origins.Should().Equal(NarSeed.Hosting.NodeOptions.DefaultOrigin);
        options.Http.Should().Be(NarSeed.Hosting.NodeOptions.DefaultHttp);
        options.Gc.Grace.Should().Be(TimeSpan.FromDays(30));
        options.Roots.Should().BeEmpty();
        options.BitTorrent.UploadLimit.Should().BeNull();
    }
}
