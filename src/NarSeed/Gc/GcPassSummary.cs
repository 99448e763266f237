namespace NarSeed.Gc;

/// <summary>
/// The outcome of the running node's latest GC pass, for the status page and metrics: when it finished, how long it
/// took, and how many nars it stopped seeding, deleted and brought back (a root that came back), with the bytes freed.
/// </summary>
public sealed record GcPassSummary(
    DateTimeOffset FinishedAt,
    double DurationSeconds,
    int Retired,
    int Deleted,
    int Revived,
    long BytesFreed)
{
    public static GcPassSummary From(GcReport report, DateTimeOffset finishedAt) =>
        new(finishedAt, report.Duration.TotalSeconds, report.Retired.Count, report.Expired.Count + report.Evicted.Count,
            report.Revived.Count, report.BytesFreed);
}
