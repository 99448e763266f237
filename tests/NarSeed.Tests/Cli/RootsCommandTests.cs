using Microsoft.Data.Sqlite;
using NarSeed.Catalog;
using NarSeed.TestSupport;
using static NarSeed.Tests.Catalog.CatalogTestData;

namespace NarSeed.Tests.Cli;

public sealed class RootsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public RootsCommandTests() => File.WriteAllText(_dir.Combine("config.json"), "{}");

    public void Dispose() => _dir.Dispose();

    private string[] Args(params string[] args) =>
        [.. args, "--state", _dir.Combine("state"), "--config", _dir.Combine("config.json")];

    [Fact]
    public async Task Roots_are_added_from_paths_and_files_listed_and_removed()
    {
        var list = _dir.Combine("roots.txt");
        await File.WriteAllTextAsync(list, $"# a root list\n{StorePath(2)}\n\n  {StorePath(3)}\n{StorePath(1)}\n");

        var add = await CliRunner.RunAsync(Args("roots", "add", StorePath(1), list));
        add.ExitCode.Should().Be(0, add.Error);
        add.Output.Should().Contain($"added: {StorePath(1)}").And.Contain($"added: {StorePath(3)}");

        var listed = await CliRunner.RunAsync(Args("roots", "list"));
        listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(
            [$"{StorePath(1)}\tcli", $"{StorePath(2)}\tcli", $"{StorePath(3)}\tcli"]);

        var remove = await CliRunner.RunAsync(Args("roots", "remove", StorePath(2)));
        remove.ExitCode.Should().Be(0);
        var missing = await CliRunner.RunAsync(Args("roots", "remove", StorePath(2)));
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("not a root");

        var catalog = await OpenAsync(_dir.Combine("state"));
        (await catalog.ListRootsAsync(CancellationToken.None)).Select(r => r.Path)
            .Should().BeEquivalentTo([StorePath(1), StorePath(3)]);
    }

    [Fact]
    public async Task A_bad_root_is_refused_with_its_line_and_nothing_is_added()
    {
        var list = _dir.Combine("roots.txt");
        await File.WriteAllTextAsync(list, $"{StorePath(2)}\n/nix/store/short-name\n");

        var add = await CliRunner.RunAsync(Args("roots", "add", StorePath(1), list));

        add.ExitCode.Should().Be(1);
        add.Error.Should().Contain("line 2").And.Contain("/nix/store/short-name");
        (await CliRunner.RunAsync(Args("roots", "list"))).Output.Should().BeEmpty();
    }

    [Fact]
    public async Task Roots_can_be_changed_while_another_process_holds_the_write_lock()
    {
        var catalog = await OpenAsync(_dir.Combine("state"));
        // A running node in the middle of a write transaction (e.g. a GC pass).
        await using var node = new SqliteConnection($"Data Source={catalog.DatabasePath};Pooling=False");
        await node.OpenAsync();
        var transaction = node.BeginTransaction(deferred: false);
        await using (var write = node.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO roots VALUES ('/nix/store/x', 'x', 0, 0);";
            await write.ExecuteNonQueryAsync();
        }

        var add = Task.Run(() => CliRunner.RunAsync(Args("roots", "add", StorePath(1))));
        await Task.Delay(300);
        add.IsCompleted.Should().BeFalse("the command waits for the lock instead of failing");
        transaction.Commit();
        var result = await add.WaitAsync(TimeSpan.FromSeconds(20));

        result.ExitCode.Should().Be(0, result.Error);
        (await catalog.ListRootsAsync(CancellationToken.None)).Should().HaveCount(2);
    }
}
