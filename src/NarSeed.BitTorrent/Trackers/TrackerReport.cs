namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// One tracker as the <see cref="AnnounceScheduler"/> last saw it: when it last answered or failed, how many announces
/// in a row failed, the failure reason and the last warning message it sent.
/// </summary>
public sealed record TrackerReport(
    string Url,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastFailure,
    int ConsecutiveFailures,
    string? LastError,
    string? LastWarning,
    long Announces,
    long Failures)
{
    /// <summary>True when the tracker has answered and its last announce did not fail.</summary>
    public bool Working => LastSuccess is not null && ConsecutiveFailures == 0;
}
