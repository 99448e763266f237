using NarSeed.Catalog;
using NarSeed.TestSupport;
using static NarSeed.Tests.Catalog.CatalogTestData;

namespace NarSeed.Tests.Cli;

public sealed class GcCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public GcCommandTests() => File.WriteAllText(_dir.Combine("config.json"), "{}");

    public void Dispose() => _dir.Dispose();

    private string State => _dir.Combine("state");

    private string[] Args(params string[] args) => [.. args, "--state", State, "--config", _dir.Combine("config.json")];

    private async Task<NarStore> SetUpAsync()
    {
        // Root 1 → 2; 3 → 2 is not rooted.
        var catalog = await OpenAsync(State);
        var store = new NarStore(State);
        await AddStoredNarAsync(catalog, store, 1, 1000, 2);
        await AddStoredNarAsync(catalog, store, 2, 2000);
        await AddStoredNarAsync(catalog, store, 3, 4096, 2);
        await catalog.AddRootAsync(StorePath(1), RootSource.CommandLine, CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task A_dry_run_prints_what_would_go_and_the_bytes_and_changes_nothing()
    {
        var store = await SetUpAsync();

        var dry = await CliRunner.RunAsync(Args("gc", "--dry-run", "--gc-grace", "0s"));

        dry.ExitCode.Should().Be(0, dry.Error);
        dry.Output.Should().Contain("would stop seeding: 1").And.Contain($"  {StorePath(3)}  4096 bytes")
            .And.Contain("would delete (grace period over): 1")
            .And.Contain("dry run: 2 paths in the roots' closures").And.Contain("4096 bytes (4 KiB) would be freed");
        store.ListFiles().Should().HaveCount(3);
        (await (await OpenAsync(State)).FindNarAsync(Hash(3), CancellationToken.None))!.State
            .Should().Be(NarState.Ready);
    }

    [Fact]
    public async Task Gc_retires_then_deletes_only_after_the_configured_grace()
    {
        var store = await SetUpAsync();

        var first = await CliRunner.RunAsync(Args("gc"));
        first.Output.Should().Contain("stopped seeding: 1").And.Contain("0 deleted");
        store.ListFiles().Should().HaveCount(3);

        var second = await CliRunner.RunAsync(Args("gc", "--gc-grace", "0s"));
        second.ExitCode.Should().Be(0, second.Error);
        second.Output.Should().Contain("deleted (grace period over): 1").And.Contain("4096 bytes (4 KiB) freed");
        store.ListFiles().Should().BeEquivalentTo(["file1.nar.xz", "file2.nar.xz"]);
    }

    [Fact]
    public async Task The_disk_quota_flag_evicts_unrooted_nars_at_once()
    {
        var store = await SetUpAsync();

        var result = await CliRunner.RunAsync(Args("gc", "--disk-quota", "5000"));

        result.Output.Should().Contain("evicted (disk quota): 1").And.Contain(StorePath(3));
        store.ListFiles().Should().HaveCount(2);
    }
}
