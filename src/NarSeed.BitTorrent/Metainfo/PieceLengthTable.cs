namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// libtorrent's default piece length (create_torrent with piece_size 0, identical in 2.0 and 2.1; bittorrent.md
/// §3.1): the first row whose bound is ≥ the total size, 16 MiB beyond the last row. Every NarSeed node must pick the
/// same piece length, because it is part of the info dictionary and therefore of the info-hash.
/// </summary>
public static class PieceLengthTable
{
    /// <summary>Used beyond the last row of the table.</summary>
    public const int LargestDefault = 16 * 1024 * 1024;

    private static readonly (long Bound, int PieceLength)[] Rows =
    [
        (2_684_355, 16 * 1024),
        (10_737_418, 32 * 1024),
        (42_949_673, 64 * 1024),
        (171_798_692, 128 * 1024),
        (687_194_767, 256 * 1024),
        (2_748_779_069, 512 * 1024),
        (10_995_116_278, 1024 * 1024),
        (43_980_465_111, 2 * 1024 * 1024),
        (175_921_860_444, 4 * 1024 * 1024),
        (703_687_441_777, 8 * 1024 * 1024),
    ];

    /// <summary>The upper bounds of the rows (for tests that probe both sides of each boundary).</summary>
    public static IEnumerable<long> Boundaries => Rows.Select(r => r.Bound);

    public static int For(long totalSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSize);
        foreach (var (bound, pieceLength) in Rows)
        {
            if (totalSize <= bound) return pieceLength;
        }
        return LargestDefault;
    }
}
