namespace NarSeed.Status;

/// <summary>The mirror's progress: whether it runs, paths it knows of, paths done, failures and the last error.</summary>
public sealed record MirrorStatus(bool Running, long PathsKnown, long PathsDone, long Failures, string? LastError);
