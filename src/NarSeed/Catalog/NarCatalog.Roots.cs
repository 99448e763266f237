namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    /// <summary>Adds a GC root; false when it was already a root (its source is then left as it was).</summary>
    public async Task<bool> AddRootAsync(string storePath, RootSource source, CancellationToken cancellationToken)
    {
        var hashPart = RequireStorePath(storePath);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT OR IGNORE INTO roots (path, hash_part, source, added_at) VALUES ($path, $hash, $source, $now);
            """);
        command.Parameters.AddWithValue("$path", storePath);
        command.Parameters.AddWithValue("$hash", hashPart);
        command.Parameters.AddWithValue("$source", (int)source);
        command.Parameters.AddWithValue("$now", NowMilliseconds);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Removes a GC root; false when it was not one.</summary>
    public async Task<bool> RemoveRootAsync(string storePath, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM roots WHERE path = $path;");
        command.Parameters.AddWithValue("$path", storePath);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<RootRecord>> ListRootsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT path, hash_part, source, added_at FROM roots ORDER BY path;");
        return await ReadAllAsync(command, r => new RootRecord(r.GetString(0), r.GetString(1),
            (RootSource)r.GetInt32(2), FromMilliseconds(r.GetInt64(3))), cancellationToken);
    }

    /// <summary>
    /// Makes the configured roots exactly <paramref name="storePaths"/>: configured roots no longer in the
    /// configuration go, new ones come in; roots added on the command line are left alone.
    /// </summary>
    public async Task ReplaceConfiguredRootsAsync(IEnumerable<string> storePaths, CancellationToken cancellationToken)
    {
        var wanted = storePaths.Distinct(StringComparer.Ordinal).Select(p => (Path: p, Hash: RequireStorePath(p)))
            .ToList();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using (var clear = Command(connection,
            $"DELETE FROM roots WHERE source = {(int)RootSource.Configuration};", transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = Command(connection, """
            INSERT OR IGNORE INTO roots (path, hash_part, source, added_at) VALUES ($path, $hash, $source, $now);
            """, transaction))
        {
            var path = insert.Parameters.Add("$path", Microsoft.Data.Sqlite.SqliteType.Text);
            var hash = insert.Parameters.Add("$hash", Microsoft.Data.Sqlite.SqliteType.Text);
            insert.Parameters.AddWithValue("$source", (int)RootSource.Configuration);
            insert.Parameters.AddWithValue("$now", NowMilliseconds);
            foreach (var root in wanted)
            {
                path.Value = root.Path;
                hash.Value = root.Hash;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        transaction.Commit();
    }

    private static string RequireStorePath(string storePath) =>
        StorePathText.TryGetHashPart(storePath, out var hashPart)
            ? hashPart
            : throw new ArgumentException($"'{storePath}' is not a store path (/nix/store/<hash>-<name>).",
                nameof(storePath));
}
