using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    private const string NarColumns = """
        n.id, s.hash_part, n.url, n.origin_url, n.compression, n.file_hash, n.file_size, n.local_path, n.state,
        n.stored_at, n.retired_at
        """;

    /// <summary>
    /// Records the nar file of a catalogued store path, replacing an earlier one. Call it for a
    /// <see cref="NarState.Ready"/> nar only after <see cref="NarStore"/> has put the file in place; a
    /// <see cref="NarState.Pending"/> row marks work in progress that start-up recovery removes.
    /// </summary>
    public async Task<long> AddNarAsync(NarFileRecord nar, CancellationToken cancellationToken) =>
        (await AddNarsAsync([nar], cancellationToken))[0];

    /// <summary>Records many nars in one transaction (all or none); returns their ids in order.</summary>
    public async Task<IReadOnlyList<long>> AddNarsAsync(
        IReadOnlyList<NarFileRecord> nars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nars);
        foreach (var nar in nars)
        {
            ArgumentNullException.ThrowIfNull(nar);
            if (nar.State == NarState.Retired)
            {
                throw new ArgumentException("Only the GC retires nars.", nameof(nars));
            }
            NarStore.ValidateFileName(nar.LocalPath);
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using var upsert = Command(connection, """
            INSERT INTO nar_files (store_path_id, url, origin_url, compression, file_hash, file_size, local_path,
                                   state, stored_at, retired_at)
            SELECT id, $url, $originUrl, $compression, $fileHash, $fileSize, $localPath, $state, $now, NULL
            FROM store_paths WHERE hash_part = $hash
            ON CONFLICT (store_path_id) DO UPDATE SET
                url = excluded.url, origin_url = excluded.origin_url, compression = excluded.compression,
                file_hash = excluded.file_hash, file_size = excluded.file_size, local_path = excluded.local_path,
                state = excluded.state, stored_at = excluded.stored_at, retired_at = NULL
            RETURNING id;
            """, transaction);
        foreach (var name in new[] { "$hash", "$url", "$originUrl", "$compression", "$fileHash", "$fileSize",
                     "$localPath", "$state" })
        {
            upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        upsert.Parameters.AddWithValue("$now", NowMilliseconds);
        await using var counters = Command(connection,
            "INSERT OR IGNORE INTO nar_counters (nar_id) VALUES ($id);", transaction);
        counters.Parameters.Add("$id", SqliteType.Integer);

        var ids = new List<long>(nars.Count);
        foreach (var nar in nars)
        {
            upsert.Parameters["$hash"].Value = nar.HashPart;
            upsert.Parameters["$url"].Value = nar.Url;
            upsert.Parameters["$originUrl"].Value = nar.OriginUrl;
            upsert.Parameters["$compression"].Value = nar.Compression;
            upsert.Parameters["$fileHash"].Value = nar.FileHash;
            upsert.Parameters["$fileSize"].Value = nar.FileSize;
            upsert.Parameters["$localPath"].Value = nar.LocalPath;
            upsert.Parameters["$state"].Value = (int)nar.State;
            var id = await upsert.ExecuteScalarAsync(cancellationToken) as long?
                     ?? throw new InvalidOperationException($"Store path {nar.HashPart} is not in the catalog.");
            counters.Parameters["$id"].Value = id;
            await counters.ExecuteNonQueryAsync(cancellationToken);
            ids.Add(id);
        }
        transaction.Commit();
        return ids;
    }

    /// <summary>The nar of the store path with this hash part, or null.</summary>
    public Task<NarFileRecord?> FindNarAsync(string hashPart, CancellationToken cancellationToken) =>
        FindNarWhereAsync("s.hash_part = $key", hashPart, cancellationToken);

    /// <summary>The nar a narinfo's relative URL names (nar/….nar.xz), or null.</summary>
    public Task<NarFileRecord?> FindNarByUrlAsync(string url, CancellationToken cancellationToken) =>
        FindNarWhereAsync("n.url = $key", url, cancellationToken);

    /// <summary>Every nar in the given state, e.g. the ready ones the seeding service starts with.</summary>
    public async Task<IReadOnlyList<NarFileRecord>> ListNarsAsync(NarState state, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT {NarColumns} FROM nar_files n JOIN store_paths s ON s.id = n.store_path_id
            WHERE n.state = $state ORDER BY n.id;
            """);
        command.Parameters.AddWithValue("$state", (int)state);
        return await ReadAllAsync(command, ReadNar, cancellationToken);
    }

    /// <summary>Records the torrent made for a nar (replacing an earlier one).</summary>
    public async Task SetTorrentAsync(TorrentRecord torrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            INSERT OR REPLACE INTO torrents (nar_id, info_hash_v2, info_hash_v1, piece_length, pieces_root, piece_layer)
            VALUES ($nar, $v2, $v1, $pieceLength, $root, $layer);
            """);
        command.Parameters.AddWithValue("$nar", torrent.NarId);
        command.Parameters.AddWithValue("$v2", torrent.InfoHashV2.ToArray());
        command.Parameters.AddWithValue("$v1", torrent.InfoHashV1 is { } v1 ? v1.ToArray() : DBNull.Value);
        command.Parameters.AddWithValue("$pieceLength", torrent.PieceLength);
        command.Parameters.AddWithValue("$root", torrent.PiecesRoot.ToArray());
        command.Parameters.AddWithValue("$layer", torrent.PieceLayer.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<TorrentRecord?> FindTorrentAsync(long narId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT nar_id, info_hash_v2, info_hash_v1, piece_length, pieces_root, piece_layer
            FROM torrents WHERE nar_id = $nar;
            """);
        command.Parameters.AddWithValue("$nar", narId);
        return (await ReadAllAsync(command, ReadTorrent, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The torrent whose v2 (32 bytes) or v1 (20 bytes) info-hash this is, or null.</summary>
    public async Task<TorrentRecord?> FindTorrentByInfoHashAsync(
        ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken)
    {
        var column = infoHash.Length switch
        {
            32 => "info_hash_v2",
            20 => "info_hash_v1",
            _ => throw new ArgumentException("An info-hash has 20 (v1) or 32 (v2) bytes.", nameof(infoHash)),
        };
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT nar_id, info_hash_v2, info_hash_v1, piece_length, pieces_root, piece_layer
            FROM torrents WHERE {column} = $hash;
            """);
        command.Parameters.AddWithValue("$hash", infoHash.ToArray());
        return (await ReadAllAsync(command, ReadTorrent, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Counts one HTTP request for a nar (its narinfo or the nar itself).</summary>
    public async Task RecordRequestAsync(long narId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE nar_counters SET requests = requests + 1, last_requested_at = $now WHERE nar_id = $nar;");
        command.Parameters.AddWithValue("$nar", narId);
        command.Parameters.AddWithValue("$now", NowMilliseconds);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds bytes uploaded of a nar (over HTTP or BitTorrent).</summary>
    public async Task AddUploadedBytesAsync(long narId, long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE nar_counters SET uploaded_bytes = uploaded_bytes + $bytes WHERE nar_id = $nar;");
        command.Parameters.AddWithValue("$nar", narId);
        command.Parameters.AddWithValue("$bytes", bytes);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<NarCounters?> FindCountersAsync(long narId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT requests, uploaded_bytes, last_requested_at FROM nar_counters WHERE nar_id = $nar;");
        command.Parameters.AddWithValue("$nar", narId);
        return (await ReadAllAsync(command, r => new NarCounters(r.GetInt64(0), r.GetInt64(1),
            r.IsDBNull(2) ? null : FromMilliseconds(r.GetInt64(2))), cancellationToken)).SingleOrDefault();
    }

    private async Task<NarFileRecord?> FindNarWhereAsync(
        string condition, string key, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT {NarColumns} FROM nar_files n JOIN store_paths s ON s.id = n.store_path_id WHERE {condition};
            """);
        command.Parameters.AddWithValue("$key", key);
        return (await ReadAllAsync(command, ReadNar, cancellationToken)).SingleOrDefault();
    }

    private static NarFileRecord ReadNar(SqliteDataReader r) =>
        new(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6),
            r.GetString(7), (NarState)r.GetInt32(8))
        {
            Id = r.GetInt64(0),
            StoredAt = FromMilliseconds(r.GetInt64(9)),
            RetiredAt = r.IsDBNull(10) ? null : FromMilliseconds(r.GetInt64(10)),
        };

    private static TorrentRecord ReadTorrent(SqliteDataReader r) =>
        new(r.GetInt64(0), (byte[])r.GetValue(1), r.IsDBNull(2) ? (ReadOnlyMemory<byte>?)null : (byte[])r.GetValue(2),
            r.GetInt32(3),
            (byte[])r.GetValue(4), (byte[])r.GetValue(5));
}
