namespace NarSeed.Catalog;

/// <summary>One page of the torrent table and how many rows match the search in all.</summary>
public sealed record TorrentPage(IReadOnlyList<TorrentPageRow> Rows, long TotalRows);
