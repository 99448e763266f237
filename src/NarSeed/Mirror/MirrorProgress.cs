namespace NarSeed.Mirror;

/// <summary>
/// The mirror's counters as a thread-safe read model for the status page and metrics: paths queued in the current
/// pass, paths mirrored and bytes downloaded since start, failures by <see cref="MirrorFailure"/>, and pass counts.
/// </summary>
public sealed class MirrorProgress
{
    private readonly long[] _failures = new long[Enum.GetValues<MirrorFailure>().Length];
    private long _queued;
    private long _mirrored;
    private long _alreadyPresent;
    private long _bytes;
    private long _passes;
    private long _retries;
    private readonly long[] _phaseTicks = new long[Enum.GetValues<MirrorPhase>().Length];

    /// <summary>Paths waiting or in progress in the running pass.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Paths downloaded, verified, stored and seeded since the node started.</summary>
    public long Mirrored => Interlocked.Read(ref _mirrored);

    /// <summary>Paths a pass found ready in the catalog already.</summary>
    public long AlreadyPresent => Interlocked.Read(ref _alreadyPresent);

    /// <summary>Nar bytes downloaded from origins (compressed, as stored).</summary>
    public long BytesDownloaded => Interlocked.Read(ref _bytes);

    /// <summary>Closure walks finished.</summary>
    public long PassesCompleted => Interlocked.Read(ref _passes);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>When the last pass finished (null before the first).</summary>
    public DateTimeOffset? LastPassCompletedAt { get; private set; }

    public long Failures(MirrorFailure reason) => Interlocked.Read(ref _failures[(int)reason]);

    public IReadOnlyDictionary<MirrorFailure, long> FailuresByReason() =>
        Enum.GetValues<MirrorFailure>().ToDictionary(r => r, Failures);

    public long TotalFailures => Enum.GetValues<MirrorFailure>().Sum(Failures);

    /// <summary>Time spent in one phase of mirroring, summed over all paths and workers.</summary>
    public TimeSpan TimeIn(MirrorPhase phase) => TimeSpan.FromTicks(Interlocked.Read(ref _phaseTicks[(int)phase]));

    internal void AddTime(MirrorPhase phase, TimeSpan elapsed) =>
        Interlocked.Add(ref _phaseTicks[(int)phase], elapsed.Ticks);

    internal void AddQueued(long delta) => Interlocked.Add(ref _queued, delta);

    internal void AddMirrored(long bytes)
    {
        Interlocked.Increment(ref _mirrored);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void AddAlreadyPresent() => Interlocked.Increment(ref _alreadyPresent);

    internal void AddFailure(MirrorFailure reason) => Interlocked.Increment(ref _failures[(int)reason]);

    internal void AddRetry() => Interlocked.Increment(ref _retries);

    internal void PassCompleted(DateTimeOffset at)
    {
        LastPassCompletedAt = at;
        Interlocked.Increment(ref _passes);
    }
}
