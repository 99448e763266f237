namespace NarSeed.Catalog;

/// <summary>
/// One nar in the status page's torrent table, as the catalog knows it. <see cref="InfoHashV2"/> is null while the
/// nar has no torrent yet (a pending nar).
/// </summary>
public sealed record TorrentPageRow(
    long NarId,
    string StorePath,
    long FileSize,
    NarState State,
    ReadOnlyMemory<byte>? InfoHashV2,
    long UploadedBytes,
    DateTimeOffset? LastActivity);
