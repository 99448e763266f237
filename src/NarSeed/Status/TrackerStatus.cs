namespace NarSeed.Status;

/// <summary>One tracker as the status page shows it: its URL and a short state ("ok", "failing: …", "configured").</summary>
public sealed record TrackerStatus(string Url, string State);
