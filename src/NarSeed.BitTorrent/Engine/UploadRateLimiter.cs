namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// One token bucket shared by every upload of every torrent. A caller takes the bytes it is about to send; when the
/// bucket is empty it waits until the reservation is paid for. 0 bytes/s means unlimited (no lock taken).
/// </summary>
internal sealed class UploadRateLimiter
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private long _rate;
    private double _tokens;
    private long _lastRefill;

    public UploadRateLimiter(long bytesPerSecond, TimeProvider time)
    {
        _time = time;
        _rate = bytesPerSecond;
        _lastRefill = time.GetTimestamp();
    }

    public long BytesPerSecond
    {
        get => Volatile.Read(ref _rate);
        set { ArgumentOutOfRangeException.ThrowIfNegative(value); Volatile.Write(ref _rate, value); }
    }

    /// <summary>Takes <paramref name="bytes"/> from the bucket, waiting when it is in debt.</summary>
    public ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken)
    {
        var rate = BytesPerSecond;
        if (rate == 0) return ValueTask.CompletedTask;
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            // Burst of at most a quarter second of traffic, so an idle limiter does not let a flood through.
            var burst = Math.Max(rate / 4.0, bytes);
            _tokens = Math.Min(burst, _tokens + _time.GetElapsedTime(_lastRefill, now).TotalSeconds * rate);
            _lastRefill = now;
            _tokens -= bytes;
            if (_tokens >= 0) return ValueTask.CompletedTask;
            wait = TimeSpan.FromSeconds(-_tokens / rate);
        }
        return new ValueTask(Task.Delay(wait, _time, cancellationToken));
    }
}
