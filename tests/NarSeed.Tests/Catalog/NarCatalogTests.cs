using System.Text;
using NarSeed.Catalog;
using NarSeed.TestSupport;
using static NarSeed.Tests.Catalog.CatalogTestData;

namespace NarSeed.Tests.Catalog;

public class NarCatalogTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_store_path_round_trips_with_its_narinfo_bytes_and_references()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        var record = Path(1, 1, 2, 3) with { NarInfo = Encoding.UTF8.GetBytes("StorePath: x\r\nSig: é\n\0") };

        await catalog.AddStorePathAsync(record, None);
        var found = await catalog.FindStorePathAsync(Hash(1), None);

        found.Should().NotBeNull();
        found!.NarInfo.ToArray().Should().Equal(record.NarInfo.ToArray());
        found.Path.Should().Be(StorePath(1));
        found.NarHash.Should().Be(record.NarHash);
        found.NarSize.Should().Be(record.NarSize);
        found.Deriver.Should().Be(record.Deriver);
        found.Origin.Should().Be("https://cache.example");
        found.References.Should().BeEquivalentTo([Hash(1), Hash(2), Hash(3)]);
        await catalog.AddStorePathAsync(Path(4, 2, 2, 2), None);
        (await catalog.FindStorePathAsync(Hash(4), None))!.References.Should().Equal(Hash(2));
        (await catalog.FindStorePathAsync(Hash(99), None)).Should().BeNull();
    }

    [Fact]
    public async Task References_are_found_in_both_directions_whichever_path_came_first()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        await catalog.AddStorePathAsync(Path(10, 11, 12), None); // references not catalogued yet
        await catalog.AddStorePathAsync(Path(11, 12), None);
        await catalog.AddStorePathAsync(Path(12), None);

        (await catalog.FindReferrersAsync(Hash(12), None)).Should().BeEquivalentTo([Hash(10), Hash(11)]);
        (await catalog.FindReferrersAsync(Hash(11), None)).Should().Equal(Hash(10));
        (await catalog.FindStorePathAsync(Hash(11), None))!.References.Should().Equal(Hash(12));
    }

    [Fact]
    public async Task Re_adding_a_store_path_replaces_its_narinfo_and_references()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        var firstId = await catalog.AddStorePathAsync(Path(1, 2), None);

        var secondId = await catalog.AddStorePathAsync(Path(1, 3) with { NarSize = 5 }, None);

        secondId.Should().Be(firstId);
        var found = await catalog.FindStorePathAsync(Hash(1), None);
        found!.References.Should().Equal(Hash(3));
        found.NarSize.Should().Be(5);
        (await catalog.FindReferrersAsync(Hash(2), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task Malformed_store_paths_and_references_are_refused_before_any_write()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);

        var badPath = () => catalog.AddStorePathAsync(Path(1) with { Path = "/nix/store/not-a-hash" }, None);
        var badRef = () => catalog.AddStorePathAsync(Path(1) with { References = ["eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"] },
            None);

        await badPath.Should().ThrowAsync<ArgumentException>();
        await badRef.Should().ThrowAsync<ArgumentException>();
        (await catalog.CountStorePathsAsync(None)).Should().Be(0);
    }

    [Fact]
    public async Task A_nar_round_trips_and_is_found_by_hash_part_and_by_url()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-02T03:04:05Z"));
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path, time);
        await catalog.AddStorePathAsync(Path(5), None);

        var id = await catalog.AddNarAsync(Nar(5, fileSize: 4242), None);
        var byHash = await catalog.FindNarAsync(Hash(5), None);
        var byUrl = await catalog.FindNarByUrlAsync("nar/file5.nar.xz", None);

        byHash.Should().BeEquivalentTo(Nar(5, 4242) with { Id = id, StoredAt = time.GetUtcNow() });
        byUrl.Should().BeEquivalentTo(byHash);
        (await catalog.ListNarsAsync(NarState.Ready, None)).Select(n => n.Id).Should().Equal(id);
        (await catalog.ListNarsAsync(NarState.Retired, None)).Should().BeEmpty();
        (await catalog.FindNarByUrlAsync("nar/other.nar.xz", None)).Should().BeNull();
    }

    [Fact]
    public async Task Nar_file_names_that_could_escape_the_nar_directory_are_refused()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        await catalog.AddStorePathAsync(Path(5), None);

        foreach (var name in new[] { "../x", "a/b", ".partial", "", "x\0y" })
        {
            var add = () => catalog.AddNarAsync(Nar(5) with { LocalPath = name }, None);
            await add.Should().ThrowAsync<ArgumentException>(name);
        }
    }

    [Fact]
    public async Task A_torrent_is_found_by_its_v2_and_v1_info_hashes()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        await catalog.AddStorePathAsync(Path(5), None);
        var narId = await catalog.AddNarAsync(Nar(5), None);
        var v2 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var v1 = Enumerable.Range(100, 20).Select(i => (byte)i).ToArray();
        var torrent = new TorrentRecord(narId, v2, v1, 65536, Enumerable.Repeat((byte)7, 32).ToArray(),
            Enumerable.Repeat((byte)9, 64).ToArray());

        await catalog.SetTorrentAsync(torrent, None);

        var byV2 = await catalog.FindTorrentByInfoHashAsync(v2, None);
        var byV1 = await catalog.FindTorrentByInfoHashAsync(v1, None);
        foreach (var found in new[] { byV2, byV1, await catalog.FindTorrentAsync(narId, None) })
        {
            found.Should().NotBeNull();
            found!.NarId.Should().Be(narId);
            found.InfoHashV2.ToArray().Should().Equal(v2);
            found.InfoHashV1!.Value.ToArray().Should().Equal(v1);
            found.PieceLength.Should().Be(65536);
            found.PieceLayer.ToArray().Should().Equal(torrent.PieceLayer.ToArray());
            found.PiecesRoot.ToArray().Should().Equal(torrent.PiecesRoot.ToArray());
        }
        (await catalog.FindTorrentByInfoHashAsync(new byte[32], None)).Should().BeNull();
        var v2Only = torrent with { InfoHashV1 = null };
        await catalog.SetTorrentAsync(v2Only, None);
        (await catalog.FindTorrentAsync(narId, None))!.InfoHashV1.Should().BeNull();
    }

    [Fact]
    public async Task Request_and_upload_counters_accumulate_per_nar()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-02T00:00:00Z"));
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path, time);
        await catalog.AddStorePathAsync(Path(5), None);
        await catalog.AddStorePathAsync(Path(6), None);
        var a = await catalog.AddNarAsync(Nar(5), None);
        var b = await catalog.AddNarAsync(Nar(6), None);

        await catalog.RecordRequestAsync(a, None);
        time.Advance(TimeSpan.FromMinutes(1));
        await catalog.RecordRequestAsync(a, None);
        await catalog.AddUploadedBytesAsync(a, 1000, None);
        await catalog.AddUploadedBytesAsync(a, 234, None);

        (await catalog.FindCountersAsync(a, None)).Should()
            .Be(new NarCounters(2, 1234, time.GetUtcNow()));
        (await catalog.FindCountersAsync(b, None)).Should().Be(new NarCounters(0, 0, null));
    }

    [Fact]
    public async Task Roots_are_added_listed_removed_and_configured_roots_are_replaced_as_a_set()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);

        (await catalog.AddRootAsync(StorePath(1), RootSource.CommandLine, None)).Should().BeTrue();
        (await catalog.AddRootAsync(StorePath(1), RootSource.CommandLine, None)).Should().BeFalse();
        await catalog.ReplaceConfiguredRootsAsync([StorePath(2), StorePath(3)], None);
        await catalog.ReplaceConfiguredRootsAsync([StorePath(3), StorePath(4)], None);

        var roots = await catalog.ListRootsAsync(None);
        roots.Select(r => (r.Path, r.HashPart, r.Source)).Should().BeEquivalentTo(new[]
        {
            (StorePath(1), Hash(1), RootSource.CommandLine),
            (StorePath(3), Hash(3), RootSource.Configuration),
            (StorePath(4), Hash(4), RootSource.Configuration),
        });
        (await catalog.RemoveRootAsync(StorePath(1), None)).Should().BeTrue();
        (await catalog.RemoveRootAsync(StorePath(1), None)).Should().BeFalse();
        var bad = () => catalog.AddRootAsync("/tmp/whatever", RootSource.CommandLine, None);
        await bad.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task A_batch_is_all_or_nothing()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        var ids = await catalog.AddStorePathsAsync([Path(1, 2), Path(2)], None);
        ids.Should().HaveCount(2).And.OnlyHaveUniqueItems();

        var add = () => catalog.AddNarsAsync([Nar(1), Nar(3)], None); // 3 is not catalogued

        await add.Should().ThrowAsync<InvalidOperationException>();
        (await catalog.FindNarAsync(Hash(1), None)).Should().BeNull("the failed batch rolled back");
        (await catalog.FindReferrersAsync(Hash(2), None)).Should().Equal(Hash(1));
    }
}
