namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>A download that cannot finish; <see cref="Reason"/> says why.</summary>
public sealed class DownloadException(DownloadErrorReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public DownloadErrorReason Reason { get; } = reason;
}
