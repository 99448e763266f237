using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    /// <summary>
    /// Records a store path (or replaces its narinfo and references) and links references in both directions to
    /// paths already catalogued. Returns the store path's id.
    /// </summary>
    public async Task<long> AddStorePathAsync(StorePathRecord record, CancellationToken cancellationToken)
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

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        long id;
        await using (var upsert = Command(connection, """
            INSERT INTO store_paths (hash_part, path, narinfo, nar_hash, nar_size, deriver, origin, added_at)
            VALUES ($hash, $path, $narinfo, $narHash, $narSize, $deriver, $origin, $now)
            ON CONFLICT (hash_part) DO UPDATE SET
                path = excluded.path, narinfo = excluded.narinfo, nar_hash = excluded.nar_hash,
                nar_size = excluded.nar_size, deriver = excluded.deriver, origin = excluded.origin
            RETURNING id;
            """, transaction))
        {
            upsert.Parameters.AddWithValue("$hash", record.HashPart);
            upsert.Parameters.AddWithValue("$path", record.Path);
            upsert.Parameters.AddWithValue("$narinfo", record.NarInfo.ToArray());
            upsert.Parameters.AddWithValue("$narHash", record.NarHash);
            upsert.Parameters.AddWithValue("$narSize", record.NarSize);
            upsert.Parameters.AddWithValue("$deriver", (object?)record.Deriver ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$origin", record.Origin);
            upsert.Parameters.AddWithValue("$now", NowMilliseconds);
            id = (long)(await upsert.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var clear = Command(connection, "DELETE FROM refs WHERE referrer_id = $id;", transaction))
        {
            clear.Parameters.AddWithValue("$id", id);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = Command(connection, """
            INSERT OR IGNORE INTO refs (referrer_id, reference_hash, reference_id)
            VALUES ($id, $ref, (SELECT id FROM store_paths WHERE hash_part = $ref));
            """, transaction))
        {
            insert.Parameters.AddWithValue("$id", id);
            var reference = insert.Parameters.Add("$ref", SqliteType.Text);
            foreach (var hash in record.References)
            {
                reference.Value = hash;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        // Paths recorded earlier that refer to this one can now reach it.
        await using (var link = Command(connection,
            "UPDATE refs SET reference_id = $id WHERE reference_hash = $hash AND reference_id IS NOT $id;",
            transaction))
        {
            link.Parameters.AddWithValue("$id", id);
            link.Parameters.AddWithValue("$hash", record.HashPart);
            await link.ExecuteNonQueryAsync(cancellationToken);
        }
        transaction.Commit();
        return id;
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
            "SELECT reference_hash FROM refs WHERE referrer_id = $id ORDER BY reference_hash;");
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
