namespace NarSeed.Status;

/// <summary>Registered when the node runs no mirror: the page says so rather than showing zeros as progress.</summary>
public sealed class NoMirrorStatus : IMirrorStatusSource
{
    public MirrorStatus ReadMirror() => new(false, 0, 0, 0, null);
}
