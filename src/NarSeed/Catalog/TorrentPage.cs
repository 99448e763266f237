namespace NarSeed.Catalog;

/// <summary>
/// One page of the torrent table and how many nars match in all. <see cref="TotalIsLowerBound"/>: a search matched
/// more than <see cref="NarCatalog.MaxCountedMatches"/> nars and counting stopped there.
/// </summary>
public sealed record TorrentPage(IReadOnlyList<TorrentPageRow> Rows, long TotalRows, bool TotalIsLowerBound);
