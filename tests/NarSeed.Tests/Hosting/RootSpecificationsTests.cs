using NarSeed.Hosting;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Hosting;

/// <summary>
/// Roots are store paths, or files listing them one per line like Hydra's store-paths, plain or xz-compressed like
/// Hydra's store-paths.xz (compressed here by the real xz tool).
/// </summary>
public class RootSpecificationsTests
{
    private const string Hello = "/nix/store/0c0wmsc6k4k7j8n6ajh1x1s54bqd0z5d-hello-2.12.1";
    private const string Glibc = "/nix/store/1zy01hjzwvvia6h9dq5xar88v77fgh9x-glibc-2.38-44";

    [Fact]
    public async Task Reads_plain_and_xz_compressed_lists_and_bare_store_paths()
    {
        using var dir = new TempDirectory();
        var list = dir.Combine("store-paths");
        await File.WriteAllTextAsync(list, $"# a Hydra evaluation\n{Hello}\n\n{Glibc}\n");
        var compressed = dir.Combine("store-paths.xz");
        // xz -c writes binary to stdout: redirect it to a file so no text decoding touches it.
        (await ProcessRunner.RunAsync("sh", ["-c", $"xz -c '{list}' > '{compressed}'"], TimeSpan.FromSeconds(30)))
            .EnsureSuccess("xz");

        (await RootSpecifications.ExpandAsync([list], CancellationToken.None)).Should().Equal(Hello, Glibc);
        (await RootSpecifications.ExpandAsync([compressed], CancellationToken.None)).Should().Equal(Hello, Glibc);
        (await RootSpecifications.ExpandAsync([Hello, compressed], CancellationToken.None)).Should().Equal(Hello, Glibc);
    }

    [Fact]
    public async Task A_corrupt_xz_list_or_a_bad_line_is_a_configuration_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        var corrupt = dir.Combine("broken.xz");
        await File.WriteAllBytesAsync(corrupt, [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, 1, 2, 3, 4]);
        var bad = dir.Combine("bad-list");
        await File.WriteAllTextAsync(bad, "not a store path\n");

        (await FluentActions.Awaiting(() => RootSpecifications.ExpandAsync([corrupt], CancellationToken.None))
            .Should().ThrowAsync<NodeConfigurationException>()).Which.Message.Should().Contain(corrupt);
        (await FluentActions.Awaiting(() => RootSpecifications.ExpandAsync([bad], CancellationToken.None))
            .Should().ThrowAsync<NodeConfigurationException>()).Which.Message.Should().Contain("line 1");
    }
}
