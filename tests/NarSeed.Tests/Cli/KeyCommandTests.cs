using System.CommandLine;
using NarSeed.Cli;
using NarSeed.Substitutes.Signatures;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

public class KeyCommandTests
{
    internal static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await NarSeedCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Generate_prints_a_secret_and_its_public_key_in_Nix_form()
    {
        var (exit, output, _) = await RunAsync("key", "generate", "narseed.example-1");
        exit.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        var secret = NixSecretKey.Parse(lines[0]);
        var pub = NixPublicKey.Parse(lines[1]);
        secret.Name.Should().Be("narseed.example-1");
        secret.PublicKey.ToString().Should().Be(lines[1]);
        pub.Verify("1;x", Convert.FromBase64String(secret.Sign("1;x").Split(':')[1])).Should().BeTrue();
    }

    [Fact]
    public async Task Generate_can_write_the_secret_to_a_private_file()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("secret.key");
        var (exit, output, _) = await RunAsync("key", "generate", "n-1", "--secret-key-file", file);
        exit.Should().Be(0);
        output.Trim().Should().Be(NixSecretKey.Parse(File.ReadAllText(file)).PublicKey.ToString());
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Bad_names_are_usage_errors()
    {
        var (exit, _, error) = await RunAsync("key", "generate", "a:b");
        exit.Should().Be(2);
        error.Should().Contain("name");
    }
}
