namespace NarSeed.Status;

/// <summary>The mirror's progress for the status page (implemented over the mirror's progress counts).</summary>
public interface IMirrorStatusSource
{
    MirrorStatus ReadMirror();
}
