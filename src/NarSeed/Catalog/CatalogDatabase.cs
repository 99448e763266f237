using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

/// <summary>
/// Opens connections to the catalog file with the settings every connection needs (foreign keys, busy timeout) and
/// brings the schema up to date. A running node and a `narseed roots`/`narseed gc` process may share one file: WAL
/// lets readers run beside the one writer, and the busy timeout makes a second writer wait instead of failing.
/// </summary>
internal sealed class CatalogDatabase
{
    /// <summary>How long a writer waits for another process's write transaction (a GC pass over a million paths
    /// holds one for a few seconds).</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Reads of up to this many bytes of the file go through a memory map instead of read() calls (SQLite's
    /// mmap_size). A GC pass over a million paths reads most of a 1 GB file; with SQLite's default 2 MB page cache
    /// and no map it spends as much time in the kernel as in SQLite.</summary>
    public const long MemoryMapBytes = 4L << 30;

    private readonly string _connectionString;
    private readonly IReadOnlyList<string> _steps;

    /// <param name="steps">The migration steps; <see cref="CatalogMigrations.Steps"/> unless a test says otherwise.</param>
    public CatalogDatabase(string databasePath, IReadOnlyList<string>? steps = null)
    {
        DatabasePath = databasePath;
        _steps = steps ?? CatalogMigrations.Steps;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            Pooling = true,
        }.ToString();
    }

    public string DatabasePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // busy_timeout is SQLite's own wait for locks; synchronous=NORMAL is durable against process crashes in
            // WAL mode (a power loss may drop the last transactions, never corrupt the file).
            command.CommandText =
                $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; " +
                $"PRAGMA mmap_size = {MemoryMapBytes};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Switches the file to WAL and applies every missing migration step; returns the version now in force.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = (string?)await wal.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The catalog {DatabasePath} cannot use WAL (journal mode {mode}).");
            }
        }

        while (true)
        {
            // IMMEDIATE: two processes starting at once must not both apply the same step.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(
                System.Data.IsolationLevel.Serializable, cancellationToken);
            var version = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (version > _steps.Count)
            {
                throw new InvalidOperationException(
                    $"The catalog {DatabasePath} has schema version {version}, newer than this narseed understands " +
                    $"({_steps.Count}).");
            }
            if (version == _steps.Count)
            {
                return version;
            }
            await using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = _steps[version] +
                               $"\nUPDATE schema_version SET version = {version + 1};";
            await step.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static async Task<int> ReadVersionAsync(
        SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
            INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
            SELECT version FROM schema_version;
            """;
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }
}
