namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// A torrent the <see cref="AnnounceScheduler"/> announces: its 20-byte info-hashes (the truncated v2 hash, and for a
/// hybrid also the v1 hash — each is announced separately, as libtorrent does), its tracker tiers (BEP 12) and a
/// callback for its current transfer totals.
/// </summary>
public sealed class TrackedTorrent
{
    public TrackedTorrent(IReadOnlyList<ReadOnlyMemory<byte>> infoHashes, IReadOnlyList<IReadOnlyList<Uri>> tiers,
        Func<TrackerProgress>? progress = null)
    {
        if (infoHashes.Count == 0 || infoHashes.Any(h => h.Length != 20))
        {
            throw new ArgumentException("A tracked torrent has one or two 20-byte info-hashes.", nameof(infoHashes));
        }
        InfoHashes = infoHashes;
        Tiers = tiers;
        Progress = progress ?? (static () => default);
    }

    /// <summary>The hashes trackers know a v2 (truncated SHA-256) or hybrid (both) torrent by.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> AnnounceHashes(ReadOnlyMemory<byte> infoHashV2, ReadOnlyMemory<byte>? infoHashV1) =>
        infoHashV1 is { } v1 ? [infoHashV2[..20], v1] : [infoHashV2[..20]];

    public IReadOnlyList<ReadOnlyMemory<byte>> InfoHashes { get; }

    public IReadOnlyList<IReadOnlyList<Uri>> Tiers { get; }

    public Func<TrackerProgress> Progress { get; }
}
