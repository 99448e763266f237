namespace NarSeed.Catalog;

/// <summary>One seeded nar in the status page's torrent table, as the catalog knows it.</summary>
public sealed record TorrentPageRow(
    long NarId,
    string StorePath,
    long FileSize,
    ReadOnlyMemory<byte> InfoHashV2,
    long UploadedBytes,
    DateTimeOffset? LastActivity);
