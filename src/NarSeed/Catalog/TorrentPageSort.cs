namespace NarSeed.Catalog;

/// <summary>The columns the status page's torrent table sorts by; each is backed by an index (migration 2).</summary>
public enum TorrentPageSort
{
    Path,
    Size,
    Uploaded,
    Activity,
}
