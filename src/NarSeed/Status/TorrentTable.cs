namespace NarSeed.Status;

/// <summary>
/// One page of the torrent table as <c>/api/torrents</c> returns it, with the query that made it.
/// <see cref="TotalIsLowerBound"/>: a search matched more nars than are counted; there are at least
/// <see cref="TotalRows"/> (and <see cref="TotalPages"/> pages).
/// </summary>
public sealed record TorrentTable(
    string Sort,
    string Order,
    string Query,
    int Page,
    int PageSize,
    long TotalRows,
    bool TotalIsLowerBound,
    int TotalPages,
    IReadOnlyList<TorrentRow> Rows);
