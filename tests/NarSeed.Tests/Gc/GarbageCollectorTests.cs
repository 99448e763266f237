using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.TestSupport;
using NarSeed.Tests.Catalog;
using static NarSeed.Tests.Catalog.CatalogTestData;

namespace NarSeed.Tests.Gc;

/// <summary>
/// Closure and collection on a small graph with a shared path:
/// root A = 1 → 2 → 3, root B = 4 → {3, 5}, 5 → 5 (self-reference), and 6 which no root reaches.
/// </summary>
public sealed class GarbageCollectorTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDirectory _dir = new();
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-03-01T00:00:00Z"));
    private readonly RecordingSeedingControl _seeding = new();
    private NarCatalog _catalog = null!;
    private NarStore _store = null!;
    private GarbageCollector _gc = null!;

    private async Task SetUpAsync()
    {
        _catalog = await OpenAsync(_dir.Path, _time);
        _store = new NarStore(_dir.Path);
        _gc = new GarbageCollector(_catalog, _store, [_seeding], _time, NullLogger<GarbageCollector>.Instance);
        await AddStoredNarAsync(_catalog, _store, 1, 100, 2);
        await AddStoredNarAsync(_catalog, _store, 2, 100, 3);
        await AddStoredNarAsync(_catalog, _store, 3, 100);
        await AddStoredNarAsync(_catalog, _store, 4, 100, 3, 5);
        await AddStoredNarAsync(_catalog, _store, 5, 100, 5);
        await AddStoredNarAsync(_catalog, _store, 6, 100);
        await _catalog.AddRootAsync(StorePath(1), RootSource.CommandLine, None);
        await _catalog.AddRootAsync(StorePath(4), RootSource.Configuration, None);
    }

    public void Dispose() => _dir.Dispose();

    private static GcOptions Options(long? quota = null) => new() { Grace = TimeSpan.FromDays(30), DiskQuota = quota };

    private async Task<NarState?> StateAsync(int n) => (await _catalog.FindNarAsync(Hash(n), None))?.State;

    [Fact]
    public async Task Only_nars_outside_every_closure_stop_seeding()
    {
        await SetUpAsync();

        var report = await _gc.CollectAsync(Options(), dryRun: false, None);

        report.LivePaths.Should().Be(5);
        report.Retired.Select(n => n.HashPart).Should().Equal(Hash(6));
        report.Deleted.Should().BeEmpty("the grace period has not passed");
        _seeding.Calls.Should().Equal(new[] { ("stop", new[] { Hash(6) }) },
            (a, b) => a.Call == b.Item1 && a.HashParts.SequenceEqual(b.Item2));
        foreach (var n in new[] { 1, 2, 3, 4, 5 }) (await StateAsync(n)).Should().Be(NarState.Ready);
        (await StateAsync(6)).Should().Be(NarState.Retired);
        File.Exists(_store.GetPath("file6.nar.xz")).Should().BeTrue("files stay for the grace period");
    }

    [Fact]
    public async Task Removing_a_root_retires_what_only_it_reached_keeps_shared_paths_and_deletes_after_the_grace()
    {
        await SetUpAsync();
        await _gc.CollectAsync(Options(), false, None);
        await _catalog.RemoveRootAsync(StorePath(4), None);
        _time.Advance(TimeSpan.FromDays(1));

        var removal = await _gc.CollectAsync(Options(), false, None);
        removal.Retired.Select(n => n.HashPart).Should().BeEquivalentTo([Hash(4), Hash(5)]);
        (await StateAsync(3)).Should().Be(NarState.Ready, "root A still needs the shared path");

        _time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        var early = await _gc.CollectAsync(Options(), false, None);
        early.Expired.Select(n => n.HashPart).Should().Equal(Hash(6)); // retired one day earlier
        File.Exists(_store.GetPath("file4.nar.xz")).Should().BeTrue();

        _time.Advance(TimeSpan.FromSeconds(1));
        var due = await _gc.CollectAsync(Options(), false, None);
        due.Expired.Select(n => n.HashPart).Should().BeEquivalentTo([Hash(4), Hash(5)]);
        due.BytesFreed.Should().Be(200);
        _store.ListFiles().Should().BeEquivalentTo(["file1.nar.xz", "file2.nar.xz", "file3.nar.xz"]);
        (await _catalog.FindStorePathAsync(Hash(4), None)).Should().BeNull();
        (await _catalog.FindNarAsync(Hash(5), None)).Should().BeNull();
        (await _catalog.FindReferrersAsync(Hash(3), None)).Should().BeEquivalentTo([Hash(2)], "4's references went with it");
    }

    [Fact]
    public async Task A_root_that_comes_back_before_the_grace_ends_revives_its_nars()
    {
        await SetUpAsync();
        await _catalog.RemoveRootAsync(StorePath(4), None);
        await _gc.CollectAsync(Options(), false, None);
        await _catalog.AddRootAsync(StorePath(4), RootSource.CommandLine, None);

        var report = await _gc.CollectAsync(Options(), false, None);

        report.Revived.Select(n => n.HashPart).Should().BeEquivalentTo([Hash(4), Hash(5)]);
        (await StateAsync(4)).Should().Be(NarState.Ready);
        (await _catalog.FindNarAsync(Hash(4), None))!.RetiredAt.Should().BeNull();
        _seeding.Calls.Select(c => c.Call).Should().Equal("stop", "resume");
    }

    [Fact]
    public async Task Over_the_quota_unrooted_nars_go_least_requested_first_and_rooted_nars_never()
    {
        await SetUpAsync();
        await AddStoredNarAsync(_catalog, _store, 7, 100);
        await AddStoredNarAsync(_catalog, _store, 8, 100);
        var six = (await _catalog.FindNarAsync(Hash(6), None))!.Id;
        var seven = (await _catalog.FindNarAsync(Hash(7), None))!.Id;
        await _catalog.RecordRequestAsync(six, None);
        await _catalog.RecordRequestAsync(six, None);
        await _catalog.RecordRequestAsync(seven, None);
        // 8 nars × 100 bytes; 5 rooted. A quota of 650 forces out two of the three unrooted ones.

        var report = await _gc.CollectAsync(Options(quota: 650), false, None);

        report.Evicted.Select(n => n.HashPart).Should().Equal(Hash(8), Hash(7));
        report.StoredBytesAfter.Should().Be(600);
        report.OverQuotaWithRootedNarsOnly.Should().BeFalse();
        (await StateAsync(6)).Should().Be(NarState.Retired, "the most requested unrooted nar stays");

        var tight = await _gc.CollectAsync(Options(quota: 250), false, None);
        tight.Evicted.Select(n => n.HashPart).Should().Equal(Hash(6));
        tight.OverQuotaWithRootedNarsOnly.Should().BeTrue();
        foreach (var n in new[] { 1, 2, 3, 4, 5 }) (await StateAsync(n)).Should().Be(NarState.Ready);
        _store.ListFiles().Should().HaveCount(5);
    }

    [Fact]
    public async Task A_dry_run_reports_everything_and_changes_nothing()
    {
        await SetUpAsync();
        await _gc.CollectAsync(Options(), false, None);
        _time.Advance(TimeSpan.FromDays(31));
        await _catalog.RemoveRootAsync(StorePath(4), None);
        _seeding.Calls.Clear();

        var report = await _gc.CollectAsync(Options(quota: 350), dryRun: true, None);

        report.DryRun.Should().BeTrue();
        report.Retired.Select(n => n.HashPart).Should().BeEquivalentTo([Hash(4), Hash(5)]);
        report.Expired.Select(n => n.HashPart).Should().Equal(Hash(6));
        report.Evicted.Should().HaveCount(2); // 4 and 5, both unrequested, to get from 500 down to 300
        report.BytesFreed.Should().Be(300);
        _seeding.Calls.Should().BeEmpty();
        (await StateAsync(4)).Should().Be(NarState.Ready);
        (await StateAsync(6)).Should().Be(NarState.Retired);
        _store.ListFiles().Should().HaveCount(6);

        var real = await _gc.CollectAsync(Options(quota: 350), dryRun: false, None);
        real.BytesFreed.Should().Be(report.BytesFreed);
        _store.ListFiles().Should().HaveCount(3);
    }

    [Fact]
    public async Task A_deleted_path_leaves_no_stale_link_that_could_keep_a_later_path_alive()
    {
        await SetUpAsync();
        await _catalog.RemoveRootAsync(StorePath(4), None);
        await _gc.CollectAsync(Options(), false, None);
        await _gc.CollectAsync(new GcOptions { Grace = TimeSpan.Zero }, false, None); // deletes 4, 5, 6
        // SQLite may hand a deleted path's id to the next new row; 9 and 10 must start out unreachable.
        await AddStoredNarAsync(_catalog, _store, 9, 100);
        await AddStoredNarAsync(_catalog, _store, 10, 100, 9);

        var report = await _gc.CollectAsync(Options(), false, None);

        report.Retired.Select(n => n.HashPart).Should().BeEquivalentTo([Hash(9), Hash(10)]);
        report.LivePaths.Should().Be(3);
    }

    [Fact]
    public async Task Deleting_leaves_no_row_of_a_deleted_path_in_any_table_and_unlinks_references_to_it()
    {
        await SetUpAsync();
        for (var n = 1; n <= 6; n++)
        {
            var nar = await _catalog.FindNarAsync(Hash(n), None);
            var v2 = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n));
            await _catalog.SetTorrentAsync(new TorrentRecord(nar!.Id, v2, null, 16384, v2, Array.Empty<byte>()), None);
        }
        await _gc.CollectAsync(Options(), false, None);                      // 6 retired
        await AddStoredNarAsync(_catalog, _store, 8, 100, 6, 3);              // unrooted, refers to 6 and to 3
        _time.Advance(TimeSpan.FromDays(1));
        await _catalog.RemoveRootAsync(StorePath(4), None);
        await _gc.CollectAsync(Options(), false, None);                      // 4, 5 and 8 retired a day later
        var oneAtATime = new GarbageCollector(_catalog, _store, [], _time, NullLogger<GarbageCollector>.Instance)
        {
            MaxDeletionsPerPass = 1,
        };

        var deleted = await oneAtATime.CollectAsync(new GcOptions { Grace = TimeSpan.FromHours(1) }, false, None);

        deleted.Expired.Select(n => n.HashPart).Should().Equal(Hash(6));
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_catalog.DatabasePath}");
        await sqlite.OpenAsync();
        async Task<long> Count(string sql)
        {
            await using var command = sqlite.CreateCommand();
            command.CommandText = sql;
            return (long)(await command.ExecuteScalarAsync())!;
        }
        (await Count("SELECT count(*) FROM store_paths")).Should().Be(6);
        (await Count("SELECT count(*) FROM nar_files")).Should().Be(6);
        (await Count("SELECT count(*) FROM torrents")).Should().Be(5);
        (await Count("SELECT count(*) FROM nar_counters")).Should().Be(6);
        (await Count("SELECT count(*) FROM nar_paths")).Should().Be(6, "the status page's search index follows");
        (await Count("SELECT count(*) FROM refs WHERE referrer_id NOT IN (SELECT id FROM store_paths)")).Should().Be(0);
        (await Count("SELECT count(*) FROM refs WHERE reference_id NOT IN (SELECT id FROM store_paths)")).Should().Be(0);
        (await Count($"SELECT count(*) FROM refs WHERE reference_hash = '{Hash(6)}' AND reference_id IS NULL"))
            .Should().Be(1, "8 still names 6 as a reference, unlinked");
        (await Count($"SELECT count(*) FROM refs WHERE reference_hash = '{Hash(3)}' AND reference_id IS NOT NULL"))
            .Should().Be(3, "links to the paths that stay are kept (from 2, 8 and 4, which is retired, not deleted)");
        (await _catalog.FindStorePathAsync(Hash(8), None))!.References.Should().Contain(Hash(6));
    }

    [Fact]
    public async Task A_nar_back_in_a_closure_is_not_deleted_and_keeps_its_links()
    {
        await SetUpAsync();
        var three = await _catalog.FindNarAsync(Hash(3), None);
        await using (var session = await _catalog.BeginGcAsync(None))
        {
            await session.MarkLiveAsync(None);
            await session.DeleteAsync([new CatalogNar(three!.Id, Hash(3), StorePath(3), three.LocalPath, 100,
                NarState.Retired, 0)], None);
            session.Commit();
        }

        (await _catalog.FindStorePathAsync(Hash(3), None)).Should().NotBeNull();
        (await _catalog.FindNarAsync(Hash(3), None)).Should().NotBeNull();
        var report = await _gc.CollectAsync(Options(), false, None);
        report.LivePaths.Should().Be(5, "2 → 3 and 4 → 3 still lead to 3");
        report.Retired.Select(n => n.HashPart).Should().Equal(Hash(6));
    }

    [Fact]
    public async Task The_in_memory_closure_walk_marks_exactly_what_the_recursive_query_marks()
    {
        _catalog = await OpenAsync(_dir.Path, _time);
        var random = new Random(42);
        // A random graph with forward and backward references, cycles, self-references, dangling references and
        // references to paths recorded later.
        var records = Enumerable.Range(0, 400).Select(i => Path(i, Enumerable.Range(0, random.Next(6))
            .Select(_ => random.Next(500)).Distinct().ToArray())).ToList();
        await _catalog.AddStorePathsAsync(records, None);
        foreach (var root in Enumerable.Range(0, 12).Select(_ => random.Next(400)))
        {
            await _catalog.AddRootAsync(StorePath(root), RootSource.CommandLine, None);
        }

        await using var session = await _catalog.BeginGcAsync(None);
        var walked = await session.MarkLiveAsync(None);
        var walkedIds = await session.ReadLiveSetAsync(None);
        var queried = await session.MarkLiveWithRecursiveQueryAsync(None);
        var queriedIds = await session.ReadLiveSetAsync(None);

        walked.Should().Be(queried).And.BeGreaterThan(12).And.BeLessThan(400);
        walkedIds.Should().Equal(queriedIds);
    }

    [Fact]
    public async Task One_pass_deletes_at_most_its_limit_longest_retired_first_and_the_next_continues()
    {
        await SetUpAsync();
        await _gc.CollectAsync(Options(), false, None);          // 6 retired
        _time.Advance(TimeSpan.FromDays(1));
        await _catalog.RemoveRootAsync(StorePath(4), None);
        await _gc.CollectAsync(Options(), false, None);          // 4 and 5 retired a day later
        _time.Advance(TimeSpan.FromDays(31));
        var limited = new GarbageCollector(_catalog, _store, [], _time, NullLogger<GarbageCollector>.Instance)
        {
            MaxDeletionsPerPass = 2,
        };

        var first = await limited.CollectAsync(Options(), false, None);
        var second = await limited.CollectAsync(Options(), false, None);

        first.Expired.Select(n => n.HashPart).Should().HaveCount(2).And.StartWith(Hash(6));
        first.DeletionLimitReached.Should().BeTrue();
        second.Expired.Should().HaveCount(1);
        second.DeletionLimitReached.Should().BeFalse();
        _store.ListFiles().Should().BeEquivalentTo(["file1.nar.xz", "file2.nar.xz", "file3.nar.xz"]);
    }
}
