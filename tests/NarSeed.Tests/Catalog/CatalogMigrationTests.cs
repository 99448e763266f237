using Microsoft.Data.Sqlite;
using NarSeed.Catalog;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Catalog;

public class CatalogMigrationTests
{
    [Fact]
    public async Task An_empty_file_is_migrated_to_the_latest_version_in_WAL_with_every_table()
    {
        using var dir = new TempDirectory();
        var catalog = await CatalogTestData.OpenAsync(dir.Path);

        catalog.SchemaVersion.Should().Be(CatalogMigrations.LatestVersion);
        (await catalog.ReadSchemaVersionAsync(CancellationToken.None)).Should().Be(CatalogMigrations.LatestVersion);
        using var connection = Open(catalog.DatabasePath);
        Scalar(connection, "PRAGMA journal_mode;").Should().Be("wal");
        var tables = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;");
        tables.Should().Contain(["schema_version", "store_paths", "refs", "nar_files", "torrents", "roots",
            "nar_counters"]);
        var indices = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'index';");
        indices.Should().Contain(["refs_by_reference", "refs_closure", "nar_files_by_url", "roots_by_hash"]);
    }

    [Fact]
    public async Task Reopening_is_idempotent_and_keeps_the_data()
    {
        using var dir = new TempDirectory();
        var first = await CatalogTestData.OpenAsync(dir.Path);
        await first.AddStorePathAsync(CatalogTestData.Path(1), CancellationToken.None);

        var second = await CatalogTestData.OpenAsync(dir.Path);
        var third = await CatalogTestData.OpenAsync(dir.Path);

        third.SchemaVersion.Should().Be(CatalogMigrations.LatestVersion);
        (await third.CountStorePathsAsync(CancellationToken.None)).Should().Be(1);
        using var connection = Open(second.DatabasePath);
        Scalar(connection, "SELECT count(*) FROM schema_version;").Should().Be(1L);
    }

    [Fact]
    public async Task A_later_step_upgrades_an_existing_catalog_in_place_and_only_once()
    {
        using var dir = new TempDirectory();
        var path = System.IO.Path.Combine(dir.Path, NarCatalog.FileName);
        (await new CatalogDatabase(path, [CatalogMigrations.Steps[0]]).MigrateAsync(CancellationToken.None))
            .Should().Be(1);
        using (var connection = Open(path))
        {
            Scalar(connection, "INSERT INTO roots VALUES ('/nix/store/x', 'h', 0, 0); SELECT 1;");
        }
        string[] upgraded = [CatalogMigrations.Steps[0], "ALTER TABLE roots ADD COLUMN note TEXT DEFAULT 'v2';"];

        (await new CatalogDatabase(path, upgraded).MigrateAsync(CancellationToken.None)).Should().Be(2);
        // A second run must not apply the ALTER again (it would fail: duplicate column).
        (await new CatalogDatabase(path, upgraded).MigrateAsync(CancellationToken.None)).Should().Be(2);

        using var check = Open(path);
        Scalar(check, "SELECT note FROM roots WHERE path = '/nix/store/x';").Should().Be("v2");
        Scalar(check, "SELECT version FROM schema_version;").Should().Be(2L);
    }

    [Fact]
    public async Task A_file_from_a_newer_narseed_is_refused_rather_than_misread()
    {
        using var dir = new TempDirectory();
        var catalog = await CatalogTestData.OpenAsync(dir.Path);
        using (var connection = Open(catalog.DatabasePath))
        {
            Scalar(connection, $"UPDATE schema_version SET version = {CatalogMigrations.LatestVersion + 1}; SELECT 1;");
        }

        var reopen = () => CatalogTestData.OpenAsync(dir.Path);

        (await reopen.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*newer*");
    }

    [Fact]
    public async Task Foreign_keys_are_enforced_on_catalog_connections()
    {
        using var dir = new TempDirectory();
        var catalog = await CatalogTestData.OpenAsync(dir.Path);

        // A nar for a store path the catalog does not hold has nothing to hang off.
        var add = () => catalog.AddNarAsync(CatalogTestData.Nar(7), CancellationToken.None);

        await add.Should().ThrowAsync<InvalidOperationException>();
        await catalog.AddStorePathAsync(CatalogTestData.Path(7), CancellationToken.None);
        var narId = await catalog.AddNarAsync(CatalogTestData.Nar(7), CancellationToken.None);
        var torrent = () => catalog.SetTorrentAsync(new TorrentRecord(narId + 1000, new byte[32], null, 16384,
            new byte[32], Array.Empty<byte>()), CancellationToken.None);
        await torrent.Should().ThrowAsync<SqliteException>().Where(e => e.SqliteErrorCode == 19); // SQLITE_CONSTRAINT
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(reader.GetString(0));
        return list;
    }
}
