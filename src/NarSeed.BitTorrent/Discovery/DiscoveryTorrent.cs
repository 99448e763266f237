using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>
/// A torrent peers are wanted for. Every discovery source keys it by <see cref="Key"/>, its truncated v2 hash (the v1
/// hash of a v1-only torrent, see <see cref="ForV1Only"/>); a hybrid is also found under its v1 hash, and peers found
/// under either hash are reported under the key.
/// </summary>
public sealed class DiscoveryTorrent
{
    public DiscoveryTorrent(ReadOnlyMemory<byte> infoHashV2, ReadOnlyMemory<byte>? infoHashV1,
        IReadOnlyList<IReadOnlyList<Uri>>? trackerTiers = null, Func<TrackerProgress>? progress = null)
        : this((ReadOnlyMemory<byte>?)infoHashV2, infoHashV1, trackerTiers, progress)
    {
        if (infoHashV2.Length != 32) throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(infoHashV2));
    }

    private DiscoveryTorrent(ReadOnlyMemory<byte>? infoHashV2, ReadOnlyMemory<byte>? infoHashV1,
        IReadOnlyList<IReadOnlyList<Uri>>? trackerTiers, Func<TrackerProgress>? progress)
    {
        if (infoHashV1 is { Length: 0 }) infoHashV1 = null; // a null byte[] converts to an empty memory
        if (infoHashV1 is { Length: not 20 }) throw new ArgumentException("A v1 info-hash has 20 bytes.", nameof(infoHashV1));
        InfoHashV2 = infoHashV2;
        InfoHashV1 = infoHashV1;
        TrackerTiers = trackerTiers ?? [];
        Progress = progress;
    }

    /// <summary>A v1-only (BEP 3) torrent, known everywhere by its SHA-1 info-hash.</summary>
    public static DiscoveryTorrent ForV1Only(ReadOnlyMemory<byte> infoHashV1,
        IReadOnlyList<IReadOnlyList<Uri>>? trackerTiers = null, Func<TrackerProgress>? progress = null) =>
        infoHashV1.Length == 20
            ? new DiscoveryTorrent(null, infoHashV1, trackerTiers, progress)
            : throw new ArgumentException("A v1 info-hash has 20 bytes.", nameof(infoHashV1));

    /// <summary>The v2 info-hash (32 bytes); null for a v1-only torrent.</summary>
    public ReadOnlyMemory<byte>? InfoHashV2 { get; }

    public ReadOnlyMemory<byte>? InfoHashV1 { get; }

    /// <summary>The truncated v2 hash (the v1 hash of a v1-only torrent): how trackers, LSD and handshakes know it.</summary>
    public ReadOnlyMemory<byte> Key => InfoHashV2 is { } v2 ? v2[..20] : InfoHashV1!.Value;

    /// <summary>The hashes to announce: the key, and the v1 hash of a hybrid.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> AnnounceHashes =>
        InfoHashV2 is { } v2 ? TrackedTorrent.AnnounceHashes(v2, InfoHashV1) : [InfoHashV1!.Value];

    /// <summary>The torrent's own tiers (its <c>announce-list</c>); <see cref="DiscoveryOptions.Trackers"/> are added.</summary>
    public IReadOnlyList<IReadOnlyList<Uri>> TrackerTiers { get; }

    /// <summary>Transfer totals for announces; a seeder reports nothing left.</summary>
    public Func<TrackerProgress>? Progress { get; }

    public override string ToString() => Convert.ToHexStringLower((InfoHashV2 ?? InfoHashV1!.Value).Span);
}
