using NarSeed.Catalog;
using NarSeed.TestSupport;
using static NarSeed.Tests.Catalog.CatalogTestData;

namespace NarSeed.Tests.Catalog;

/// <summary>
/// What a kill -9 can leave behind, built by hand: a temporary file that never reached its rename, a pending row,
/// a row whose file is gone, a file renamed into place whose row was never written. Recovery must remove each and
/// touch nothing that is whole.
/// </summary>
public class CatalogRecoveryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Recovery_removes_every_kind_of_leftover_and_keeps_complete_nars()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        var store = new NarStore(dir.Path);
        var whole = await AddStoredNarAsync(catalog, store, 1, 10);
        var lost = await AddStoredNarAsync(catalog, store, 2, 10);
        File.Delete(store.GetPath("file2.nar.xz"));                          // row without its file
        await catalog.AddStorePathAsync(Path(3), None);
        await catalog.AddNarAsync(Nar(3, state: NarState.Pending), None);   // work in progress
        var abandoned = store.CreatePending("file3.nar.xz");                // temp file of that work
        await abandoned.Stream.WriteAsync(new byte[5]);
        await abandoned.Stream.FlushAsync();
        File.WriteAllText(store.GetPath("file4.nar.xz"), "orphan");         // renamed, never recorded

        var report = await CatalogRecovery.RecoverAsync(catalog, store, None);

        report.Should().Be(new RecoveryReport(TemporaryFilesDeleted: 1, PendingRowsDeleted: 1,
            RowsWithoutFileDeleted: 1, OrphanFilesDeleted: 1));
        store.ListFiles().Should().Equal("file1.nar.xz");
        Directory.EnumerateFiles(store.TemporaryDirectory).Should().BeEmpty();
        (await catalog.FindNarAsync(Hash(1), None))!.Id.Should().Be(whole);
        (await catalog.FindNarAsync(Hash(2), None)).Should().BeNull();
        (await catalog.FindNarAsync(Hash(3), None)).Should().BeNull();
        (await catalog.FindStorePathAsync(Hash(2), None)).Should().NotBeNull("the mirror fetches its nar again");
        lost.Should().NotBe(whole);

        var again = await CatalogRecovery.RecoverAsync(catalog, store, None);
        again.NothingToRepair.Should().BeTrue();
        await abandoned.Stream.DisposeAsync();
    }
}
