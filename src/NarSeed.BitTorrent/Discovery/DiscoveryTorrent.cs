using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Discovery;

/// <summary>
/// A torrent peers are wanted for. Every discovery source keys it by <see cref="Key"/>, its truncated v2 hash; a
/// hybrid is also found under its v1 hash, and peers found under either hash are reported under the key.
/// </summary>
public sealed class DiscoveryTorrent
{
    public DiscoveryTorrent(ReadOnlyMemory<byte> infoHashV2, ReadOnlyMemory<byte>? infoHashV1,
        IReadOnlyList<IReadOnlyList<Uri>>? trackerTiers = null, Func<TrackerProgress>? progress = null)
    {
        if (infoHashV2.Length != 32) throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(infoHashV2));
        if (infoHashV1 is { Length: 0 }) infoHashV1 = null; // a null byte[] converts to an empty memory
        if (infoHashV1 is { Length: not 20 }) throw new ArgumentException("A v1 info-hash has 20 bytes.", nameof(infoHashV1));
        InfoHashV2 = infoHashV2;
        InfoHashV1 = infoHashV1;
        TrackerTiers = trackerTiers ?? [];
        Progress = progress;
    }

    public ReadOnlyMemory<byte> InfoHashV2 { get; }

    public ReadOnlyMemory<byte>? InfoHashV1 { get; }

    /// <summary>The truncated v2 hash: how trackers, LSD and handshakes know a v2 torrent.</summary>
    public ReadOnlyMemory<byte> Key => InfoHashV2[..20];

    /// <summary>The hashes to announce: the key, and the v1 hash of a hybrid.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> AnnounceHashes => TrackedTorrent.AnnounceHashes(InfoHashV2, InfoHashV1);

    /// <summary>The torrent's own tiers (its <c>announce-list</c>); <see cref="DiscoveryOptions.Trackers"/> are added.</summary>
    public IReadOnlyList<IReadOnlyList<Uri>> TrackerTiers { get; }

    /// <summary>Transfer totals for announces; a seeder reports nothing left.</summary>
    public Func<TrackerProgress>? Progress { get; }

    public override string ToString() => Convert.ToHexStringLower(InfoHashV2.Span);
}
