using NarSeed.Mirror;

namespace NarSeed.Status;

/// <summary>
/// <see cref="IMirrorStatusSource"/> over the mirror's <see cref="MirrorProgress"/>: a pass is running while paths are
/// queued; done counts paths mirrored plus paths a pass found present; failures are summed, with the reasons that
/// occurred as the error line ("SignatureInvalid: 2, HashMismatch: 1").
/// </summary>
public sealed class MirrorProgressStatus(MirrorProgress progress) : IMirrorStatusSource
{
    public MirrorStatus ReadMirror()
    {
        var queued = progress.Queued;
        var done = progress.Mirrored + progress.AlreadyPresent;
        var reasons = progress.FailuresByReason().Where(f => f.Value > 0).Select(f => $"{f.Key}: {f.Value}").ToList();
        return new MirrorStatus(queued > 0, done + queued, done, progress.TotalFailures,
            reasons.Count == 0 ? null : string.Join(", ", reasons));
    }
}
