using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    /// <summary>
    /// Records a store path (or replaces its narinfo and references) and links references in both directions to
    /// paths already catalogued. Returns the store path's id.
    /// </summary>
    public async Task<long> AddStorePathAsync(StorePathRecord record, CancellationToken cancellationToken) =>
        (await AddStorePathsAsync([record], cancellationToken))[0];

    /// <summary>
    /// Records many store paths in one transaction (the mirror's batches, a benchmark's setup); all or none.
    /// Returns their ids in order.
    /// </summary>
    public async Task<IReadOnlyList<long>> AddStorePathsAsync(
        IReadOnlyList<StorePathRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Validate(record);
        }
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using var writer = new StorePathWriter(connection, transaction, NowMilliseconds);
        var ids = new List<long>(records.Count);
        foreach (var record in records)
        {
            ids.Add(await writer.WriteAsync(record, cancellationToken));
        }
        transaction.Commit();
        return ids;
    }

    private static void Validate(StorePathRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!StorePathText.TryGetHashPart(record.Path, out var hashPart) || hashPart != record.HashPart)
        {
            throw new ArgumentException($"'{record.Path}' is not a store path with hash part '{record.HashPart}'.",
                nameof(record));
        }
        foreach (var reference in record.References)
        {
            if (!StorePathText.IsHashPart(reference))
            {
                throw new ArgumentException($"Reference '{reference}' is not a store path hash part.", nameof(record));
            }
        }
    }

    /// <summary>The prepared statements that record one store path, reused across a batch.</summary>
    private sealed class StorePathWriter : IAsyncDisposable
    {
        private readonly SqliteCommand _upsert;
        private readonly SqliteCommand _clear;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _link;

        public StorePathWriter(SqliteConnection connection, SqliteTransaction transaction, long now)
        {
            _upsert = Command(connection, """
                INSERT INTO store_paths (hash_part, path, narinfo, nar_hash, nar_size, deriver, origin, added_at)
                VALUES ($hash, $path, $narinfo, $narHash, $narSize, $deriver, $origin, $now)
                ON CONFLICT (hash_part) DO UPDATE SET
                    path = excluded.path, narinfo = excluded.narinfo, nar_hash = excluded.nar_hash,
                    nar_size = excluded.nar_size, deriver = excluded.deriver, origin = excluded.origin
                RETURNING id;
                """, transaction);
            foreach (var name in new[] { "$hash", "$path", "$narinfo", "$narHash", "$narSize", "$deriver", "$origin" })
            {
                _upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _upsert.Parameters.AddWithValue("$now", now);
            _clear = Command(connection, "DELETE FROM refs WHERE referrer_id = $id;", transaction);
            _clear.Parameters.Add("$id", SqliteType.Integer);
            _insert = Command(connection, """
                INSERT INTO refs (referrer_id, reference_hash, reference_id)
                VALUES ($id, $ref, (SELECT id FROM store_paths WHERE hash_part = $ref));
                """, transaction);
            _insert.Parameters.Add("$id", SqliteType.Integer);
            _insert.Parameters.Add("$ref", SqliteType.Text);
            // Paths recorded earlier that refer to this one can now reach it.
            _link = Command(connection,
                "UPDATE refs SET reference_id = $id WHERE reference_hash = $hash AND reference_id IS NOT $id;",
                transaction);
            _link.Parameters.Add("$id", SqliteType.Integer);
            _link.Parameters.Add("$hash", SqliteType.Text);
        }

        public async Task<long> WriteAsync(StorePathRecord record, CancellationToken cancellationToken)
        {
            _upsert.Parameters["$hash"].Value = record.HashPart;
            _upsert.Parameters["$path"].Value = record.Path;
            _upsert.Parameters["$narinfo"].Value = record.NarInfo.ToArray();
            _upsert.Parameters["$narHash"].Value = record.NarHash;
            _upsert.Parameters["$narSize"].Value = record.NarSize;
            _upsert.Parameters["$deriver"].Value = (object?)record.Deriver ?? DBNull.Value;
            _upsert.Parameters["$origin"].Value = record.Origin;
            var id = (long)(await _upsert.ExecuteScalarAsync(cancellationToken))!;

            _clear.Parameters["$id"].Value = id;
            await _clear.ExecuteNonQueryAsync(cancellationToken);
            _insert.Parameters["$id"].Value = id;
            foreach (var hash in record.References.Distinct(StringComparer.Ordinal))
            {
                _insert.Parameters["$ref"].Value = hash;
                await _insert.ExecuteNonQueryAsync(cancellationToken);
            }
            _link.Parameters["$id"].Value = id;
            _link.Parameters["$hash"].Value = record.HashPart;
            await _link.ExecuteNonQueryAsync(cancellationToken);
            return id;
        }

        public async ValueTask DisposeAsync()
        {
            await _upsert.DisposeAsync();
            await _clear.DisposeAsync();
            await _insert.DisposeAsync();
            await _link.DisposeAsync();
        }
    }

    /// <summary>The store path with this hash part, or null when the catalog does not hold it.</summary>
    public async Task<StorePathRecord?> FindStorePathAsync(string hashPart, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT id, path, narinfo, nar_hash, nar_size, deriver, origin FROM store_paths WHERE hash_part = $hash;
            """);
        command.Parameters.AddWithValue("$hash", hashPart);
        long id;
        StorePathRecord record;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            id = reader.GetInt64(0);
            record = new StorePathRecord(hashPart, reader.GetString(1), (byte[])reader.GetValue(2),
                reader.GetString(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), []);
        }
        await using var references = Command(connection,
            "SELECT DISTINCT reference_hash FROM refs WHERE referrer_id = $id ORDER BY reference_hash;");
        references.Parameters.AddWithValue("$id", id);
        return record with
        {
            References = await ReadAllAsync(references, r => r.GetString(0), cancellationToken),
        };
    }

    /// <summary>Hash parts of the catalogued paths that refer to <paramref name="hashPart"/> (it need not be
    /// catalogued itself).</summary>
    public async Task<IReadOnlyList<string>> FindReferrersAsync(string hashPart, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT s.hash_part FROM refs r JOIN store_paths s ON s.id = r.referrer_id
            WHERE r.reference_hash = $hash ORDER BY s.hash_part;
            """);
        command.Parameters.AddWithValue("$hash", hashPart);
        return await ReadAllAsync(command, r => r.GetString(0), cancellationToken);
    }

    public async Task<long> CountStorePathsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT count(*) FROM store_paths;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
