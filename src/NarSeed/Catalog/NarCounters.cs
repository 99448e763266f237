namespace NarSeed.Catalog;

/// <summary>How often a nar was requested over HTTP and how many bytes of it were uploaded (HTTP and BitTorrent).</summary>
public sealed record NarCounters(long Requests, long UploadedBytes, DateTimeOffset? LastRequestedAt);
