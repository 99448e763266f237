namespace NarSeed.Status;

/// <summary>
/// A fixed ring of upload samples (<see cref="Capacity"/> of them, one per <see cref="StatusSampler.SampleInterval"/>:
/// one hour). Writers are the sampler; readers copy under the same lock, so a reader never sees a half-written ring.
/// </summary>
public sealed class UploadRateHistory
{
    /// <summary>One hour of samples at the sampler's interval.</summary>
    public static readonly int Capacity = (int)(TimeSpan.FromHours(1) / StatusSampler.SampleInterval);

    private readonly object _lock = new();
    private readonly RateSample[] _ring;
    private int _next;
    private int _count;

    public UploadRateHistory(int capacity = 0)
    {
        _ring = new RateSample[capacity > 0 ? capacity : Capacity];
    }

    /// <summary>Adds the total uploaded at <paramref name="at"/>; the rate is the difference to the previous sample.</summary>
    public RateSample Add(DateTimeOffset at, long totalBytes)
    {
        lock (_lock)
        {
            var rate = 0.0;
            if (_count > 0)
            {
                var last = _ring[(_next - 1 + _ring.Length) % _ring.Length];
                var seconds = (at - last.At).TotalSeconds;
                // A restarted engine (total went down) starts a new series rather than a negative rate.
                if (seconds > 0 && totalBytes >= last.TotalBytes) rate = (totalBytes - last.TotalBytes) / seconds;
            }
            var sample = new RateSample(at, totalBytes, rate);
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            return sample;
        }
    }

    /// <summary>Every sample held, oldest first.</summary>
    public IReadOnlyList<RateSample> Snapshot()
    {
        lock (_lock)
        {
            var result = new RateSample[_count];
            var start = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++) result[i] = _ring[(start + i) % _ring.Length];
            return result;
        }
    }

    /// <summary>The rate of the latest sample (0 before two samples).</summary>
    public double CurrentRate
    {
        get
        {
            lock (_lock) return _count == 0 ? 0 : _ring[(_next - 1 + _ring.Length) % _ring.Length].BytesPerSecond;
        }
    }

    /// <summary>Average rate over the samples held (up to the last hour): bytes between first and last over the time.</summary>
    public double AverageRate
    {
        get
        {
            var samples = Snapshot();
            if (samples.Count < 2) return 0;
            var first = samples[0];
            var last = samples[^1];
            var seconds = (last.At - first.At).TotalSeconds;
            return seconds > 0 && last.TotalBytes >= first.TotalBytes ? (last.TotalBytes - first.TotalBytes) / seconds : 0;
        }
    }
}
