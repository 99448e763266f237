namespace NarSeed.BitTorrent.Metainfo;

/// <summary>What <see cref="TorrentBuilder"/> makes. Only <see cref="Hybrid"/>, <see cref="PieceLength"/> and
/// <see cref="Name"/> affect the info-hash; web seeds and trackers live outside <c>info</c>.</summary>
public sealed record TorrentCreateOptions
{
    /// <summary>Also write the v1 fields (<c>length</c>, <c>pieces</c>); v2-only by default.</summary>
    public bool Hybrid { get; init; }

    /// <summary>A power of two from 16 KiB to 128 MiB; null picks libtorrent's default (<see cref="PieceLengthTable"/>).</summary>
    public int? PieceLength { get; init; }

    /// <summary>The torrent and file name; null uses the file's own name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// BEP 19 web seeds (<c>url-list</c>). Beware: libtorrent 2.0.8 requests URL + "/" + name for a v2-only torrent
    /// whose length is not a multiple of the piece length (it adds a tail pad file and treats it as multi-file), but
    /// the URL itself for hybrids. A directory URL ending in '/', with the torrent named like the file, is read the
    /// same way by every client.
    /// </summary>
    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    /// <summary>Trackers, each in its own tier, in order.</summary>
    public IReadOnlyList<string> Trackers { get; init; } = [];
}
