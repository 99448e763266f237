namespace NarSeed.Seeding;

/// <summary>
/// The BEP 19 web seed and the torrent name of a nar, both derived from the nar's URL on its origin.
/// </summary>
/// <remarks>
/// libtorrent 2.0.8 pads the tail of a v2-only torrent whose last piece is short (almost every nar), treats it as
/// multi-file and so requests <c>URL + "/" + name</c> for each <c>url-list</c> entry, while it requests a hybrid's URL
/// as-is. A directory URL (ending in <c>/</c>) with the torrent named after the file is requested as <c>DIR/NAME</c>
/// by every client (BEP 19), so it works for both kinds and for our own downloader. The name comes from the origin's
/// URL, not from anything local, so independent nodes mirroring the same origin compute the same info-hash.
/// </remarks>
public static class NarWebSeed
{
    /// <summary>
    /// Splits <paramref name="originNarUrl"/> into its directory (the web seed, ending in <c>/</c>) and its last
    /// segment (the torrent name). A URL that cannot be split that way (a query or fragment, an empty or unusable
    /// last segment) keeps the whole URL as its web seed and takes <paramref name="fallbackName"/>: such a torrent is
    /// still correct, libtorrent just cannot use its web seed for v2-only torrents.
    /// </summary>
    public static (string Name, string WebSeed) For(string originNarUrl, string fallbackName)
    {
        if (Uri.TryCreate(originNarUrl, UriKind.Absolute, out var uri) &&
            uri.Query.Length == 0 && uri.Fragment.Length == 0)
        {
            var path = uri.AbsolutePath;
            var slash = path.LastIndexOf('/');
            var name = Uri.UnescapeDataString(path[(slash + 1)..]);
            if (IsUsableName(name))
            {
                var directory = uri.GetLeftPart(UriPartial.Authority) + path[..(slash + 1)];
                return (name, directory);
            }
        }
        return (fallbackName, originNarUrl);
    }

    private static bool IsUsableName(string name) =>
        name.Length > 0 && name != "." && name != ".." &&
        name.IndexOfAny(['/', '\\', '\0', '\r', '\n']) < 0;
}
