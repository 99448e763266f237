using NarSeed.Status;

namespace NarSeed.Tests.Status;

/// <summary>The chart's ring buffer: rates between samples, wrap-around, averages, an engine restart.</summary>
public sealed class UploadRateHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rates_are_differences_over_time_and_the_ring_keeps_the_newest_samples()
    {
        var history = new UploadRateHistory(capacity: 4);
        history.Add(T0, 0).BytesPerSecond.Should().Be(0);
        history.Add(T0.AddSeconds(2), 2000).BytesPerSecond.Should().Be(1000);
        history.Add(T0.AddSeconds(4), 2000).BytesPerSecond.Should().Be(0);
        history.Add(T0.AddSeconds(6), 8000).BytesPerSecond.Should().Be(3000);
        history.CurrentRate.Should().Be(3000);
        history.AverageRate.Should().BeApproximately(8000 / 6.0, 1e-9);

        history.Add(T0.AddSeconds(8), 10000);
        var samples = history.Snapshot();
        samples.Select(s => s.At).Should().Equal(T0.AddSeconds(2), T0.AddSeconds(4), T0.AddSeconds(6), T0.AddSeconds(8));
        samples.Select(s => s.BytesPerSecond).Should().Equal(1000, 0, 3000, 1000);
        history.AverageRate.Should().BeApproximately(8000 / 6.0, 1e-9);
    }

    [Fact]
    public void A_total_that_goes_down_starts_over_instead_of_a_negative_rate()
    {
        var history = new UploadRateHistory(capacity: 8);
        history.Add(T0, 5000);
        history.Add(T0.AddSeconds(2), 100).BytesPerSecond.Should().Be(0);
        history.Add(T0.AddSeconds(4), 300).BytesPerSecond.Should().Be(100);
        history.Snapshot().Should().OnlyContain(s => s.BytesPerSecond >= 0);
    }

    [Fact]
    public void One_hour_of_samples_at_the_sampler_interval()
    {
        (UploadRateHistory.Capacity * StatusSampler.SampleInterval).Should().Be(TimeSpan.FromHours(1));
        new UploadRateHistory().Snapshot().Should().BeEmpty();
        new UploadRateHistory().AverageRate.Should().Be(0);
    }
}
