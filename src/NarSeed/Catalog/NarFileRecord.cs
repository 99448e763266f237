namespace NarSeed.Catalog;

/// <summary>
/// A nar file of one store path. <see cref="Url"/> is the relative URL the narinfo names, <see cref="OriginUrl"/> the
/// origin's absolute URL (the torrent's web seed), <see cref="LocalPath"/> the file name inside the nar directory.
/// </summary>
public sealed record NarFileRecord(
    string HashPart,
    string Url,
    string OriginUrl,
    string Compression,
    string FileHash,
    long FileSize,
    string LocalPath,
    NarState State)
{
    /// <summary>The catalog's id of this nar (0 before it is recorded).</summary>
    public long Id { get; init; }

    public DateTimeOffset StoredAt { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }
}
