namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>What became of a whole piece a source delivered.</summary>
internal enum PieceVerdict
{
    Verified,

    /// <summary>Good, but another source delivered it first (end game).</summary>
    Duplicate,

    /// <summary>Failed its hash: the source is banned (peer) or dropped (web seed).</summary>
    Bad,
}
