namespace NarSeed.BitTorrent.Trackers;

/// <summary>One announce: a 20-byte info-hash (v1, or a truncated v2 hash) and our state for it.</summary>
public sealed record AnnounceRequest
{
    public required ReadOnlyMemory<byte> InfoHash { get; init; }

    public required ReadOnlyMemory<byte> PeerId { get; init; }

    /// <summary>Our TCP listen port.</summary>
    public required int Port { get; init; }

    public long Uploaded { get; init; }

    public long Downloaded { get; init; }

    public long Left { get; init; }

    public TrackerEvent Event { get; init; }

    /// <summary>Peers wanted; -1 lets the tracker choose (BEP 15's default).</summary>
    public int NumWant { get; init; } = -1;

    /// <summary>Our random key, so the tracker knows us when our address changes.</summary>
    public uint Key { get; init; }

    /// <summary>The <c>tracker id</c> the tracker sent last time (HTTP only).</summary>
    public string? TrackerId { get; init; }
}
