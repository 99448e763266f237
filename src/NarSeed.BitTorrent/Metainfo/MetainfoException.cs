using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>A .torrent file that NarSeed (like libtorrent) refuses to load. <see cref="Offset"/> is a byte offset
/// into the file when one is known, else -1.</summary>
public sealed class MetainfoException : FormatException
{
    public MetainfoException(MetainfoErrorReason reason, string detail, long offset = -1, Exception? inner = null)
        : base($"Invalid torrent: {reason}: {detail}{(offset >= 0 ? $" (offset {offset})" : "")}.", inner)
    {
        Reason = reason;
        Offset = offset;
    }

    public MetainfoErrorReason Reason { get; }

    public long Offset { get; }

    internal static MetainfoException FromBencode(BencodeException e) =>
        new(MetainfoErrorReason.InvalidBencoding, e.Reason.ToString(), e.Offset, e);
}
