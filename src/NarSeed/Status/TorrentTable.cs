namespace NarSeed.Status;

/// <summary>One page of the torrent table as <c>/api/torrents</c> returns it, with the query that made it.</summary>
public sealed record TorrentTable(
    string Sort,
    string Order,
    string Query,
    int Page,
    int PageSize,
    long TotalRows,
    int TotalPages,
    IReadOnlyList<TorrentRow> Rows);
