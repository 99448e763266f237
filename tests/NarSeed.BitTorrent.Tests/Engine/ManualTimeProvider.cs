namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>A clock that moves only when a test says so; its timers fire during <see cref="Advance"/>.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_lock) _timers.Add(timer);
        return timer;
    }

    /// <summary>Moves the clock forward in steps no longer than any timer's period, firing what falls due.</summary>
    public void Advance(TimeSpan by, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            Interlocked.Add(ref _ticks, step.Ticks);
            ManualTimer[] due;
            lock (_lock) due = _timers.Where(t => t.IsDue(_ticks)).ToArray();
            foreach (var timer in due) timer.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _due = long.MaxValue;
        private long _period;

        public bool IsDue(long now) => Volatile.Read(ref _due) <= now;

        public void Fire()
        {
            var period = Volatile.Read(ref _period);
            Volatile.Write(ref _due, period > 0 ? owner.GetTimestamp() + period : long.MaxValue);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Volatile.Write(ref _period, period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks);
            Volatile.Write(ref _due, dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : owner.GetTimestamp() + dueTime.Ticks);
            return true;
        }

        public void Dispose() => Volatile.Write(ref _due, long.MaxValue);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
