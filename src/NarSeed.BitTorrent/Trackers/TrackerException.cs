namespace NarSeed.BitTorrent.Trackers;

/// <summary>A tracker request failed or its reply was refused; <see cref="Reason"/> says why.</summary>
public sealed class TrackerException(TrackerErrorReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public TrackerErrorReason Reason { get; } = reason;
}
