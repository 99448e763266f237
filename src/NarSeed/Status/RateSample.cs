namespace NarSeed.Status;

/// <summary>One point of the upload chart: when it was taken, the total uploaded then, and the rate since the last.</summary>
public readonly record struct RateSample(DateTimeOffset At, long TotalBytes, double BytesPerSecond);
