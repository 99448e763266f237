namespace NarSeed.Status;

/// <summary>
/// The mirror's progress: whether a pass is running, paths known to it (done and queued), paths done, failures and
/// which kinds of failure occurred.
/// </summary>
public sealed record MirrorStatus(bool Running, long PathsKnown, long PathsDone, long Failures, string? LastError);
