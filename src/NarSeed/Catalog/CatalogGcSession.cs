using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

/// <summary>
/// The catalog's half of one GC pass (the policy is <c>NarSeed.Gc.GarbageCollector</c>'s). Holds the write lock from
/// <see cref="NarCatalog.BeginGcAsync"/> until it is committed or disposed; disposing without committing rolls back.
/// </summary>
public sealed class CatalogGcSession : IAsyncDisposable
{
    private const string NarSelect = """
        SELECT n.id, s.hash_part, s.path, n.local_path, n.file_size, n.state, coalesce(c.requests, 0)
        FROM nar_files n JOIN store_paths s ON s.id = n.store_path_id LEFT JOIN nar_counters c ON c.nar_id = n.id
        """;

    /// <summary>
    /// SQLite's page cache for a GC pass (negative: KiB), 256 MiB instead of the default 2 MiB. Deleting 50,000 paths
    /// dirties pages all over the refs indices; with 2 MiB they were spilled to the WAL and read back mid-transaction
    /// (bench gc: deleting the references took 3–4 s instead of 1.2–1.8 s). Only what is touched is allocated, and the
    /// connection's own size is restored when the session ends (it goes back to the pool).
    /// </summary>
    internal const int CacheSize = -256 * 1024;

    /// <summary>Doomed hash parts per statement: a JSON array that json_each unpacks in SQLite (not a statement per path).</summary>
    private const int DoomedPerStatement = 10_000;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly long _now;
    private readonly long _cacheSizeBefore;

    internal CatalogGcSession(SqliteConnection connection, SqliteTransaction transaction, long now, long cacheSizeBefore)
    {
        _connection = connection;
        _transaction = transaction;
        _now = now;
        _cacheSizeBefore = cacheSizeBefore;
    }

    /// <summary>The time of this pass: newly retired nars are stamped with it.</summary>
    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(_now);

    /// <summary>
    /// Marks the closure of every root (roots, and everything reachable over references); returns its size.
    /// The references are read in one ordered scan of the compact <c>refs_closure</c> index and walked in memory:
    /// on a million paths and five million references that takes a fraction of the time SQLite's recursive CTE
    /// (<see cref="MarkLiveWithRecursiveQueryAsync"/>, kept as the reference the tests compare against) needs for
    /// its de-duplicating queue (bench: gc).
    /// </summary>
    public async Task<long> MarkLiveAsync(CancellationToken cancellationToken)
    {
        long maxId;
        await using (var max = Command("SELECT coalesce(max(id), 0) FROM store_paths;"))
        {
            maxId = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
        }
        if (maxId >= MaxInMemoryId)
        {
            return await MarkLiveWithRecursiveQueryAsync(cancellationToken);
        }
        var size = (int)maxId + 1;

        // Adjacency in compressed-sparse-row form: the targets of path p are targets[offsets[p]..offsets[p + 1]].
        var offsets = new int[size + 1];
        var targets = new List<int>();
        await using (var edges = Command("""
            SELECT referrer_id, reference_id FROM refs INDEXED BY refs_closure
            WHERE reference_id IS NOT NULL ORDER BY referrer_id;
            """))
        await using (var reader = await edges.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var referrer = reader.GetInt64(0);
                var reference = reader.GetInt64(1);
                if (referrer < size && reference < size)
                {
                    offsets[referrer + 1]++;
                    targets.Add((int)reference);
                }
            }
        }
        for (var i = 1; i <= size; i++)
        {
            offsets[i] += offsets[i - 1];
        }

        var live = new bool[size];
        var pending = new Stack<int>();
        await using (var roots = Command(
            "SELECT s.id FROM roots r JOIN store_paths s ON s.hash_part = r.hash_part;"))
        await using (var reader = await roots.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var root = (int)reader.GetInt64(0);
                if (!live[root])
                {
                    live[root] = true;
                    pending.Push(root);
                }
            }
        }
        var targetSpan = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(targets);
        while (pending.TryPop(out var path))
        {
            foreach (var reference in targetSpan[offsets[path]..offsets[path + 1]])
            {
                if (!live[reference])
                {
                    live[reference] = true;
                    pending.Push(reference);
                }
            }
        }
        await using (var clear = Command("DELETE FROM temp.gc_live;"))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        return await StoreLiveSetAsync(live, cancellationToken);
    }

    /// <summary>The closure as one recursive query: the reference implementation, and the fallback for ids too large
    /// to index an array.</summary>
    internal async Task<long> MarkLiveWithRecursiveQueryAsync(CancellationToken cancellationToken)
    {
        // UNION (not UNION ALL) makes the recursion stop at paths already seen, so shared paths and cycles
        // (self-references) are walked once.
        await using var command = Command("""
            DELETE FROM temp.gc_live;
            INSERT INTO temp.gc_live (id)
            WITH RECURSIVE closure(id) AS (
                SELECT s.id FROM roots r JOIN store_paths s ON s.hash_part = r.hash_part
                UNION
                SELECT f.reference_id FROM closure c JOIN refs f ON f.referrer_id = c.id
                WHERE f.reference_id IS NOT NULL
            )
            SELECT id FROM closure;
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await using var count = Command("SELECT count(*) FROM temp.gc_live;");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The ids marked live (for tests that compare the two marking methods).</summary>
    internal async Task<IReadOnlyList<long>> ReadLiveSetAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id FROM temp.gc_live ORDER BY id;");
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    /// <summary>Ids up to this index an in-memory array in <see cref="MarkLiveAsync"/> (a bool and an int each).</summary>
    private const long MaxInMemoryId = 1L << 28;

    /// <summary>Ids per statement when the live set is written: a JSON array that json_each unpacks in SQLite.</summary>
    private const int LiveIdsPerStatement = 100_000;

    private async Task<long> StoreLiveSetAsync(bool[] live, CancellationToken cancellationToken)
    {
        await using var insert = Command("INSERT INTO temp.gc_live (id) SELECT value FROM json_each($ids);");
        var ids = insert.Parameters.Add("$ids", SqliteType.Text);
        var json = new System.Text.StringBuilder();
        long count = 0;
        var inBatch = 0;
        for (var id = 0; id < live.Length; id++)
        {
            if (!live[id])
            {
                continue;
            }
            json.Append(inBatch == 0 ? '[' : ',').Append(id);
            count++;
            if (++inBatch == LiveIdsPerStatement)
            {
                ids.Value = json.Append(']').ToString();
                await insert.ExecuteNonQueryAsync(cancellationToken);
                json.Clear();
                inBatch = 0;
            }
        }
        if (inBatch > 0)
        {
            ids.Value = json.Append(']').ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return count;
    }

    /// <summary>Retires every ready nar outside the closure (stamped with <see cref="Now"/>); returns them.</summary>
    public async Task<IReadOnlyList<CatalogNar>> RetireUnreachableAsync(CancellationToken cancellationToken)
    {
        const string outside = "n.state = 1 AND n.store_path_id NOT IN (SELECT id FROM temp.gc_live)";
        var nars = await ListAsync($"{NarSelect} WHERE {outside} ORDER BY n.id;", cancellationToken);
        await using var update = Command(
            $"UPDATE nar_files AS n SET state = 2, retired_at = {_now} WHERE {outside};");
        await update.ExecuteNonQueryAsync(cancellationToken);
        return nars.Select(n => n with { State = NarState.Retired }).ToList();
    }

    /// <summary>Brings retired nars that are inside the closure again (a root came back) back to ready.</summary>
    public async Task<IReadOnlyList<CatalogNar>> ReviveReachableAsync(CancellationToken cancellationToken)
    {
        const string inside = "n.state = 2 AND n.store_path_id IN (SELECT id FROM temp.gc_live)";
        var nars = await ListAsync($"{NarSelect} WHERE {inside} ORDER BY n.id;", cancellationToken);
        await using var update = Command($"UPDATE nar_files AS n SET state = 1, retired_at = NULL WHERE {inside};");
        await update.ExecuteNonQueryAsync(cancellationToken);
        return nars.Select(n => n with { State = NarState.Ready }).ToList();
    }

    /// <summary>Retired nars whose retirement is at or before <paramref name="cutoff"/>, longest retired first, at most
    /// <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<CatalogNar>> ListRetiredAtOrBeforeAsync(
        DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        ListAsync($"""
            {NarSelect} WHERE n.state = 2 AND n.retired_at <= {cutoff.ToUnixTimeMilliseconds()}
            ORDER BY n.retired_at, n.id LIMIT {limit};
            """, cancellationToken);

    /// <summary>Retired nars, least requested first (then least recently requested, then oldest): eviction order.</summary>
    public Task<IReadOnlyList<CatalogNar>> ListEvictionOrderAsync(CancellationToken cancellationToken) =>
        ListAsync($"""
            {NarSelect} WHERE n.state = 2
            ORDER BY coalesce(c.requests, 0), coalesce(c.last_requested_at, 0), n.retired_at, n.id;
            """, cancellationToken);

    /// <summary>Bytes of every nar file on disk (ready and retired).</summary>
    public async Task<long> StoredBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT coalesce(sum(file_size), 0) FROM nar_files WHERE state IN (1, 2);");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Deletes the store paths of these retired nars with everything hanging off them (nar row, torrent, counters,
    /// references), and unlinks references to them so a reused id can never be reached through a stale link.
    /// Set-based and child tables first, each in id order: one statement per table instead of SQLite's cascade, which
    /// runs a sub-program per deleted row and per child table (bench gc, 50,000 paths on two busy cores: the delete
    /// went from 7.0 s to 4.2 s, with about 2 s of commit either way). The foreign keys stay on, so a row this misses
    /// would still go by cascade.
    /// </summary>
    public async Task DeleteAsync(IEnumerable<CatalogNar> nars, CancellationToken cancellationToken)
    {
        var hashes = new List<string>();
        foreach (var nar in nars)
        {
            if (nar.State == NarState.Ready)
            {
                throw new InvalidOperationException($"Nar {nar.HashPart} is ready; only retired nars are deleted.");
            }
            hashes.Add(nar.HashPart);
        }
        await using (var collect = Command(
            "INSERT OR IGNORE INTO temp.gc_doomed (hash) SELECT value FROM json_each($hashes);"))
        {
            var parameter = collect.Parameters.Add("$hashes", SqliteType.Text);
            foreach (var batch in hashes.Chunk(DoomedPerStatement))
            {
                parameter.Value = System.Text.Json.JsonSerializer.Serialize(batch);
                await collect.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        // The live check guards against a caller passing a nar that is back in a closure (its path, and the links to
        // it, stay). References to the deleted paths are unlinked by row id, collected first, so that the update walks
        // the table and refs_closure in order rather than in hash order.
        await using var delete = Command("""
            INSERT INTO temp.gc_doomed_ids (id)
                SELECT s.id FROM temp.gc_doomed d JOIN store_paths s ON s.hash_part = d.hash
                WHERE NOT EXISTS (SELECT 1 FROM temp.gc_live l WHERE l.id = s.id);
            DELETE FROM nar_counters WHERE nar_id IN
                (SELECT n.id FROM temp.gc_doomed_ids g JOIN nar_files n ON n.store_path_id = g.id);
            DELETE FROM torrents WHERE nar_id IN
                (SELECT n.id FROM temp.gc_doomed_ids g JOIN nar_files n ON n.store_path_id = g.id);
            DELETE FROM nar_files WHERE store_path_id IN (SELECT id FROM temp.gc_doomed_ids);
            DELETE FROM refs WHERE referrer_id IN (SELECT id FROM temp.gc_doomed_ids);
            DELETE FROM store_paths WHERE id IN (SELECT id FROM temp.gc_doomed_ids);
            INSERT INTO temp.gc_unlink (ref)
                SELECT f.rowid FROM refs f
                WHERE f.reference_hash IN (SELECT hash FROM temp.gc_doomed) AND f.reference_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM store_paths s WHERE s.hash_part = f.reference_hash);
            UPDATE refs SET reference_id = NULL WHERE rowid IN (SELECT ref FROM temp.gc_unlink);
            DELETE FROM temp.gc_unlink;
            DELETE FROM temp.gc_doomed_ids;
            DELETE FROM temp.gc_doomed;
            """);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Commit() => _transaction.Commit();

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        try
        {
            await using var restore = _connection.CreateCommand();
            restore.CommandText = $"PRAGMA cache_size = {_cacheSizeBefore};";
            await restore.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        return command;
    }

    private async Task<IReadOnlyList<CatalogNar>> ListAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        var nars = new List<CatalogNar>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nars.Add(new CatalogNar(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4), (NarState)reader.GetInt32(5), reader.GetInt64(6)));
        }
        return nars;
    }
}
