using System.Text;
using Microsoft.Data.Sqlite;

namespace NarSeed.Catalog;

public sealed partial class NarCatalog
{
    /// <summary>Longest search string the torrent table accepts (store paths are at most 211 characters in Nix).</summary>
    public const int MaxTorrentSearchLength = 211;

    /// <summary>Most rows one page of the torrent table returns.</summary>
    public const int MaxTorrentPageSize = 200;

    /// <summary>Totals for the status page; a handful of index scans (tens of milliseconds at 100,000 nars).</summary>
    public async Task<CatalogStatusTotals> ReadStatusTotalsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT
              (SELECT count(*) FROM nar_files WHERE state = 1),
              (SELECT coalesce(sum(file_size), 0) FROM nar_files WHERE state = 1),
              (SELECT count(*) FROM nar_files WHERE state = 2),
              (SELECT coalesce(sum(file_size), 0) FROM nar_files WHERE state = 2),
              (SELECT count(*) FROM roots),
              (SELECT count(*) FROM store_paths),
              (SELECT coalesce(sum(uploaded_bytes), 0) FROM nar_counters);
            """);
        return (await ReadAllAsync(command, r => new CatalogStatusTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2),
            r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)), cancellationToken)).Single();
    }

    /// <summary>
    /// One page of the seeded (ready) nars that have a torrent: store paths containing <paramref name="search"/>
    /// (case-insensitive for ASCII; null or empty for all), ordered by an indexed column with the nar id as tie-break,
    /// <paramref name="pageSize"/> rows from row <paramref name="offset"/>.
    /// </summary>
    public async Task<TorrentPage> ListTorrentPageAsync(string? search, TorrentPageSort sort, bool descending,
        long offset, int pageSize, CancellationToken cancellationToken)
    {
        if (search is { Length: > MaxTorrentSearchLength })
        {
            throw new ArgumentException($"A search has at most {MaxTorrentSearchLength} characters.", nameof(search));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxTorrentPageSize);
        var direction = descending ? "DESC" : "ASC";
        // Whitelisted: the ORDER BY text comes only from this switch, never from the request. The tie-break is the
        // rowid of the indexed table, which every SQLite index carries, so the index alone gives the order.
        var order = sort switch
        {
            TorrentPageSort.Path => $"s.path {direction}",
            TorrentPageSort.Size => $"n.file_size {direction}, n.id {direction}",
            TorrentPageSort.Uploaded => $"c.uploaded_bytes {direction}, c.nar_id {direction}",
            TorrentPageSort.Activity => $"c.last_requested_at {direction}, c.nar_id {direction}",
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
        };
        var filter = string.IsNullOrEmpty(search) ? "" : @"AND s.path LIKE $search ESCAPE '\'";
        const string from = """
            FROM nar_files n
            JOIN store_paths s ON s.id = n.store_path_id
            JOIN torrents t ON t.nar_id = n.id
            JOIN nar_counters c ON c.nar_id = n.id
            WHERE n.state = 1
            """;

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var page = Command(connection, $"""
            SELECT n.id, s.path, n.file_size, t.info_hash_v2, c.uploaded_bytes, c.last_requested_at
            {from} {filter}
            ORDER BY {order}
            LIMIT $limit OFFSET $offset;
            """);
        await using var count = Command(connection, $"SELECT count(*) {from} {filter};");
        if (!string.IsNullOrEmpty(search))
        {
            var pattern = $"%{EscapeLike(search)}%";
            page.Parameters.AddWithValue("$search", pattern);
            count.Parameters.AddWithValue("$search", pattern);
        }
        page.Parameters.AddWithValue("$limit", pageSize);
        page.Parameters.AddWithValue("$offset", offset);
        var rows = await ReadAllAsync(page, r => new TorrentPageRow(r.GetInt64(0), r.GetString(1), r.GetInt64(2),
            (byte[])r.GetValue(3), r.GetInt64(4), r.IsDBNull(5) ? null : FromMilliseconds(r.GetInt64(5))),
            cancellationToken);
        var total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        return new TorrentPage(rows, total);
    }

    /// <summary>
    /// Adds BitTorrent uploads to the per-nar counters (one transaction): bytes to <c>uploaded_bytes</c>, and the
    /// time to <c>last_requested_at</c> when it is later (the column is the nar's last activity, HTTP or swarm).
    /// Traffic of a torrent the catalog no longer holds is dropped. Returns how many nars were updated.
    /// </summary>
    public async Task<int> AddTrafficAsync(IReadOnlyList<NarTraffic> traffic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        if (traffic.Count == 0) return 0;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = BeginWrite(connection);
        await using var update = Command(connection, """
            UPDATE nar_counters
            SET uploaded_bytes = uploaded_bytes + $bytes,
                last_requested_at = max(coalesce(last_requested_at, 0), $at)
            WHERE nar_id = (SELECT nar_id FROM torrents WHERE info_hash_v2 = $hash);
            """, transaction);
        var hash = update.Parameters.Add("$hash", SqliteType.Blob);
        var bytes = update.Parameters.Add("$bytes", SqliteType.Integer);
        var at = update.Parameters.Add("$at", SqliteType.Integer);
        var updated = 0;
        foreach (var item in traffic)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(item.Bytes);
            hash.Value = item.InfoHashV2.ToArray();
            bytes.Value = item.Bytes;
            at.Value = item.At.ToUnixTimeMilliseconds();
            updated += await update.ExecuteNonQueryAsync(cancellationToken);
        }
        transaction.Commit();
        return updated;
    }

    private static string EscapeLike(string text)
    {
        var builder = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\') builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }
}
