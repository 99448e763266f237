using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

/// <summary>
/// The node's metadata: store paths, references, nar files, torrents, roots and counters, in one SQLite (WAL) file.
/// All SQL of the app lives in this type and its partial files; callers see records and async methods. Safe to use
/// from many threads and from several processes on the same file (each call opens a pooled connection).
/// </summary>
public sealed partial class NarCatalog
{
    /// <summary>The catalog's file name inside the state directory.</summary>
    public const string FileName = "catalog.db";

    private readonly CatalogDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Points at the catalog file; nothing is read or written until <see cref="MigrateAsync"/>.</summary>
    public NarCatalog(string databasePath, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _database = new CatalogDatabase(databasePath);
        _time = timeProvider;
    }

    public string DatabasePath => _database.DatabasePath;

    /// <summary>The schema version in force after <see cref="MigrateAsync"/> (0 before).</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>Opens (creating if needed) the catalog file and applies every missing schema migration.</summary>
    public static async Task<NarCatalog> OpenAsync(
        string databasePath, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var catalog = new NarCatalog(databasePath, timeProvider);
        await catalog.MigrateAsync(cancellationToken);
        return catalog;
    }

    /// <summary>Creates the file and its directory if needed, switches to WAL and applies missing migrations.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(DatabasePath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        SchemaVersion = await _database.MigrateAsync(cancellationToken);
        return SchemaVersion;
    }

    /// <summary>Reads the schema version stored in the file.</summary>
    public async Task<int> ReadSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT version FROM schema_version;");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private long NowMilliseconds => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMilliseconds(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static SqliteCommand Command(
        SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task<List<T>> ReadAllAsync<T>(
        SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(read(reader));
        }
        return results;
    }

    // BEGIN IMMEDIATE: take the write lock up front, so a writer in another process is waited for (busy timeout)
    // instead of failing later with SQLITE_BUSY_SNAPSHOT.
    private static SqliteTransaction BeginWrite(SqliteConnection connection) =>
        connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
}
