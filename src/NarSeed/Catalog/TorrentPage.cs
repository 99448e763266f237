namespace NarSeed.Catalog;

/// <summary>One page of the torrent table and how many nars match the search in all.</summary>
public sealed record TorrentPage(IReadOnlyList<TorrentPageRow> Rows, long TotalRows);
