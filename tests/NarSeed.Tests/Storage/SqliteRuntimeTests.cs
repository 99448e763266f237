using Microsoft.Data.Sqlite;

namespace NarSeed.Tests.Storage;

/// <summary>
/// The catalog runs on Microsoft.Data.Sqlite with SQLitePCLRaw 3.x (the only one the registry here has), so prove the
/// native library loads and that WAL mode, the catalog's journal mode, is really in force on a file database.
/// </summary>
public class SqliteRuntimeTests
{
    [Fact]
    public void Native_sqlite_loads_and_runs_in_WAL_mode()
    {
        var dir = Directory.CreateTempSubdirectory("narseed-sqlite-");
        try
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(dir.FullName, "t.db")};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteScalar().Should().Be("wal");
            command.CommandText = "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (41), (1); SELECT sum(x) FROM t;";
            command.ExecuteScalar().Should().Be(42L);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
