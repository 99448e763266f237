namespace NarSeed.Tests.Catalog;

/// <summary>A clock the test moves by hand, so grace periods and timestamps are tested without sleeping.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
