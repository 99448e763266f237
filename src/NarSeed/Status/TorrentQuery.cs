using System.Diagnostics.CodeAnalysis;
using NarSeed.Catalog;

namespace NarSeed.Status;

/// <summary>
/// The torrent table's query string, validated before anything is read: <c>sort</c> one of the indexed columns
/// (<c>path</c>, <c>size</c>, <c>uploaded</c>, <c>activity</c>), <c>order</c> <c>asc</c> or <c>desc</c>, <c>q</c> a
/// store-path substring of printable ASCII, <c>page</c> from 1, <c>size</c> rows per page.
/// </summary>
public sealed record TorrentQuery(TorrentPageSort Sort, bool Descending, string Search, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;

    /// <summary>Deepest page served; with the largest page size that is 20 million rows, beyond any catalog.</summary>
    public const int MaxPage = 100_000;

    public static readonly TorrentQuery Default = new(TorrentPageSort.Path, false, "", 1, DefaultPageSize);

    public long Offset => (long)(Page - 1) * PageSize;

    public string SortName => Sort.ToString().ToLowerInvariant();

    /// <summary>Parses the raw query values (null when absent); false with a message naming the bad parameter.</summary>
    public static bool TryParse(string? sort, string? order, string? q, string? page, string? size,
        [NotNullWhen(true)] out TorrentQuery? query, [NotNullWhen(false)] out string? error)
    {
        query = null;
        var result = Default;
        if (sort is not null)
        {
            TorrentPageSort? parsed = sort switch
            {
                "path" => TorrentPageSort.Path,
                "size" => TorrentPageSort.Size,
                "uploaded" => TorrentPageSort.Uploaded,
                "activity" => TorrentPageSort.Activity,
                _ => null,
            };
            if (parsed is not { } s)
            {
                error = "sort must be one of path, size, uploaded, activity.";
                return false;
            }
            // Figures read best largest first; a path alphabetically.
            result = result with { Sort = s, Descending = s != TorrentPageSort.Path };
        }
        if (order is not null)
        {
            if (order is not ("asc" or "desc"))
            {
                error = "order must be asc or desc.";
                return false;
            }
            result = result with { Descending = order == "desc" };
        }
        if (q is not null)
        {
            if (q.Length > NarCatalog.MaxTorrentSearchLength || q.Any(c => c is < ' ' or > '~'))
            {
                error = $"q must be at most {NarCatalog.MaxTorrentSearchLength} printable ASCII characters.";
                return false;
            }
            result = result with { Search = q.Trim() };
        }
        if (page is not null)
        {
            if (!int.TryParse(page, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var p) || p < 1 || p > MaxPage)
            {
                error = $"page must be a whole number from 1 to {MaxPage}.";
                return false;
            }
            result = result with { Page = p };
        }
        if (size is not null)
        {
            if (!int.TryParse(size, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1 ||
                n > NarCatalog.MaxTorrentPageSize)
            {
                error = $"size must be a whole number from 1 to {NarCatalog.MaxTorrentPageSize}.";
                return false;
            }
            result = result with { PageSize = n };
        }
        query = result;
        error = null;
        return true;
    }
}
