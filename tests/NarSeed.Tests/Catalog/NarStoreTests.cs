using NarSeed.Catalog;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Catalog;

public class NarStoreTests
{
    [Fact]
    public async Task A_committed_nar_appears_under_its_name_only_after_commit()
    {
        using var dir = new TempDirectory();
        var store = new NarStore(dir.Path);

        await using (var pending = store.CreatePending("abc.nar.xz"))
        {
            await pending.Stream.WriteAsync("hello"u8.ToArray());
            File.Exists(store.GetPath("abc.nar.xz")).Should().BeFalse("a file is invisible until committed");
            store.ListFiles().Should().BeEmpty();
            (await pending.CommitAsync(CancellationToken.None)).Should().Be("abc.nar.xz");
        }

        (await File.ReadAllTextAsync(store.GetPath("abc.nar.xz"))).Should().Be("hello");
        store.ListFiles().Should().Equal("abc.nar.xz");
        Directory.EnumerateFiles(store.TemporaryDirectory).Should().BeEmpty();
    }

    [Fact]
    public async Task An_abandoned_nar_leaves_nothing_behind()
    {
        using var dir = new TempDirectory();
        var store = new NarStore(dir.Path);

        await using (var pending = store.CreatePending("abc.nar.xz"))
        {
            await pending.Stream.WriteAsync(new byte[1000]);
        }

        store.ListFiles().Should().BeEmpty();
        Directory.EnumerateFiles(store.TemporaryDirectory).Should().BeEmpty();
    }

    [Fact]
    public void Delete_removes_a_stored_file_and_reports_a_missing_one()
    {
        using var dir = new TempDirectory();
        var store = new NarStore(dir.Path);
        File.WriteAllText(store.GetPath("x.nar"), "x");

        store.Delete("x.nar").Should().BeTrue();
        store.Delete("x.nar").Should().BeFalse();
        var escape = () => store.Delete("../catalog.db");
        escape.Should().Throw<ArgumentException>();
    }
}
