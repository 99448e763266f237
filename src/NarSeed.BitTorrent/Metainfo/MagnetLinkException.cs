namespace NarSeed.BitTorrent.Metainfo;

/// <summary>A malformed magnet link. <see cref="Offset"/> is the character index of the offending parameter.</summary>
public sealed class MagnetLinkException : FormatException
{
    public MagnetLinkException(MagnetErrorReason reason, int offset, string detail)
        : base($"Invalid magnet link at character {offset}: {reason}: {detail}.")
    {
        Reason = reason;
        Offset = offset;
    }

    public MagnetErrorReason Reason { get; }

    public int Offset { get; }
}
