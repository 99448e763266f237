namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    /// <summary>Deletes every nar row left <see cref="NarState.Pending"/> by a process that died; returns how many.</summary>
    public async Task<int> DeletePendingNarsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"DELETE FROM nar_files WHERE state = {(int)NarState.Pending};");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Id and file name of every nar that is not pending: what must exist on disk.</summary>
    public async Task<IReadOnlyList<(long NarId, string LocalPath)>> ListNarFilesAsync(
        CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT id, local_path FROM nar_files WHERE state <> {(int)NarState.Pending} ORDER BY id;");
        return await ReadAllAsync(command, r => (r.GetInt64(0), r.GetString(1)), cancellationToken);
    }

    /// <summary>Forgets nar rows (not their store paths: the mirror fetches those nars again).</summary>
    public async Task<int> DeleteNarRowsAsync(IReadOnlyCollection<long> narIds, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using var command = Command(connection, "DELETE FROM nar_files WHERE id = $id;", transaction);
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
        var deleted = 0;
        foreach (var narId in narIds)
        {
            id.Value = narId;
            deleted += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        transaction.Commit();
        return deleted;
    }

    /// <summary>
    /// Starts a GC pass: one write transaction in which the closure of the roots is marked and nars are retired,
    /// revived and deleted. Nothing is kept unless <see cref="CatalogGcSession.Commit"/> is called, which is how a
    /// dry run leaves the catalog untouched.
    /// </summary>
    public async Task<CatalogGcSession> BeginGcAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken);
        try
        {
            long cacheSize;
            await using (var setup = Command(connection, """
                PRAGMA temp_store = MEMORY;
                CREATE TEMP TABLE IF NOT EXISTS gc_live (id INTEGER PRIMARY KEY);
                CREATE TEMP TABLE IF NOT EXISTS gc_doomed (hash TEXT PRIMARY KEY) WITHOUT ROWID;
                CREATE TEMP TABLE IF NOT EXISTS gc_doomed_ids (id INTEGER PRIMARY KEY);
                CREATE TEMP TABLE IF NOT EXISTS gc_unlink (ref INTEGER PRIMARY KEY);
                DELETE FROM temp.gc_live;
                DELETE FROM temp.gc_doomed;
                DELETE FROM temp.gc_doomed_ids;
                DELETE FROM temp.gc_unlink;
                PRAGMA cache_size;
                """))
            {
                cacheSize = (long)(await setup.ExecuteScalarAsync(cancellationToken))!;
            }
            await using (var cache = Command(connection, $"PRAGMA cache_size = {CatalogGcSession.CacheSize};"))
            {
                await cache.ExecuteNonQueryAsync(cancellationToken);
            }
            return new CatalogGcSession(connection, BeginWrite(connection), NowMilliseconds, cacheSize);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
