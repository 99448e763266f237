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
    /// One page of the nars the node holds (ready, retired or pending; the row says which): store paths containing
    /// <paramref name="search"/> (case-insensitive for ASCII; null or empty for all), ordered by an indexed column with
    /// the path as tie-break, <paramref name="pageSize"/> rows from row <paramref name="offset"/>. The page's ids come
    /// from one covering-index scan of the counters (migration 2); only those rows are then joined.
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
        // Whitelisted: the SQL text comes only from this switch, never from the request. INDEXED BY pins the plan:
        // without statistics SQLite may otherwise pick a scan plus a sort.
        var (index, order) = sort switch
        {
            TorrentPageSort.Path => ("nar_table_by_path", $"path {direction}"),
            TorrentPageSort.Size => ("nar_table_by_size", $"file_size {direction}, path {direction}"),
            TorrentPageSort.Uploaded => ("nar_table_by_uploaded", $"uploaded_bytes {direction}, path {direction}"),
            TorrentPageSort.Activity => ("nar_table_by_activity", $"last_requested_at {direction}, path {direction}"),
            _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
        };
        var filter = string.IsNullOrEmpty(search) ? "" : @"WHERE path LIKE $search ESCAPE '\'";

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true); // one snapshot for page and count
        long? matches = null;
        var capped = false;
        if (search is { Length: >= MinIndexedSearchLength })
        {
            // Trigram index: the number of matches first, then either sort the few matches directly, or (many
            // matches) walk the sort index with LIKE, which finds a page's worth of common matches early.
            // Counting stops after MaxCountedMatches: a term every path has ("/nix/store/") would otherwise cost a
            // walk of the whole index for a number the page shows as "10,000+".
            await using var countMatches = Command(connection,
                "SELECT count(*) FROM (SELECT 1 FROM nar_paths WHERE nar_paths MATCH $phrase LIMIT $cap);",
                transaction);
            countMatches.Parameters.AddWithValue("$phrase", Phrase(search));
            countMatches.Parameters.AddWithValue("$cap", MaxCountedMatches + 1);
            matches = (long)(await countMatches.ExecuteScalarAsync(cancellationToken))!;
            if (matches > MaxCountedMatches)
            {
                matches = MaxCountedMatches;
                capped = true;
            }
            else if (matches <= MaxMatchesSortedDirectly)
            {
                await using var few = Command(connection, $"""
                    SELECT c.nar_id FROM nar_paths f CROSS JOIN nar_counters c ON c.nar_id = f.rowid
                    WHERE nar_paths MATCH $phrase ORDER BY {order.Replace("path", "c.path")}
                    LIMIT $limit OFFSET $offset;
                    """, transaction);
                few.Parameters.AddWithValue("$phrase", Phrase(search));
                few.Parameters.AddWithValue("$limit", pageSize);
                few.Parameters.AddWithValue("$offset", offset);
                var found = await ReadAllAsync(few, r => r.GetInt64(0), cancellationToken);
                return await ReadPageRowsAsync(connection, transaction, found, matches.Value, false,
                    cancellationToken);
            }
        }
        await using var ids = Command(connection, $"""
            SELECT nar_id FROM nar_counters INDEXED BY {index} {filter}
            ORDER BY {order} LIMIT $limit OFFSET $offset;
            """, transaction);
        await using var count = Command(connection, $"""
            SELECT count(*) FROM (SELECT 1 FROM nar_counters INDEXED BY nar_table_by_path {filter} LIMIT $cap);
            """, transaction);
        // Without a search every nar counts (an index walk, milliseconds); a short search stops counting at the cap.
        count.Parameters.AddWithValue("$cap", string.IsNullOrEmpty(search) ? -1 : MaxCountedMatches + 1);
        if (!string.IsNullOrEmpty(search))
        {
            var pattern = $"%{EscapeLike(search)}%";
            ids.Parameters.AddWithValue("$search", pattern);
            count.Parameters.AddWithValue("$search", pattern);
        }
        ids.Parameters.AddWithValue("$limit", pageSize);
        ids.Parameters.AddWithValue("$offset", offset);
        var page = await ReadAllAsync(ids, r => r.GetInt64(0), cancellationToken);
        // A short first page is the whole result: its scan already went to the end, so a count would only repeat it
        // (a rare or missing search term costs one index scan, not two).
        var total = matches ?? (offset == 0 && page.Count < pageSize
            ? page.Count
            : (long)(await count.ExecuteScalarAsync(cancellationToken))!);
        if (matches is null && total > MaxCountedMatches && !string.IsNullOrEmpty(search))
        {
            total = MaxCountedMatches;
            capped = true;
        }
        return await ReadPageRowsAsync(connection, transaction, page, total, capped, cancellationToken);
    }

    /// <summary>Searches this long or longer use the trigram index (a trigram is three characters).</summary>
    private const int MinIndexedSearchLength = 3;

    /// <summary>A search counts its matches up to this many; beyond, the total is reported as "at least".</summary>
    public const int MaxCountedMatches = 10_000;

    /// <summary>Up to this many matches are fetched and sorted directly; beyond, the sort index is walked.</summary>
    private const int MaxMatchesSortedDirectly = 5000;

    /// <summary>An FTS5 phrase: the search in double quotes (inner quotes doubled), so no character is syntax.</summary>
    private static string Phrase(string search) => $"\"{search.Replace("\"", "\"\"")}\"";

    private static async Task<TorrentPage> ReadPageRowsAsync(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyList<long> page, long total, bool capped, CancellationToken cancellationToken)
    {
        if (page.Count == 0) return new TorrentPage([], total, capped);

        await using var rows = Command(connection, $"""
            SELECT c.nar_id, c.path, c.file_size, n.state, t.info_hash_v2, c.uploaded_bytes, c.last_requested_at
            FROM nar_counters c JOIN nar_files n ON n.id = c.nar_id LEFT JOIN torrents t ON t.nar_id = c.nar_id
            WHERE c.nar_id IN ({string.Join(",", page.Select((_, i) => $"$id{i}"))});
            """, transaction);
        for (var i = 0; i < page.Count; i++) rows.Parameters.AddWithValue($"$id{i}", page[i]);
        var byId = (await ReadAllAsync(rows, r => new TorrentPageRow(r.GetInt64(0), r.GetString(1), r.GetInt64(2),
            (NarState)r.GetInt32(3), r.IsDBNull(4) ? null : (byte[])r.GetValue(4), r.GetInt64(5),
            r.IsDBNull(6) ? null : FromMilliseconds(r.GetInt64(6))), cancellationToken)).ToDictionary(r => r.NarId);
        // A nar deleted between the two reads is impossible inside the transaction; the order is the ids' order.
        return new TorrentPage(page.Where(byId.ContainsKey).Select(id => byId[id]).ToList(), total, capped);
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
