namespace NarSeed.BitTorrent.Engine.Download;

public sealed partial class DownloadOptions
{
    /// <summary>
    /// Announce the download to <see cref="Discovery"/> (trackers with <c>left &gt; 0</c> and <c>event=started</c>, LSD),
    /// <c>event=completed</c> when done and stopped when the run ends. Off when the owner of the discovery registers
    /// the torrent itself.
    /// </summary>
    public bool AnnounceToDiscovery { get; init; } = true;

    /// <summary>
    /// The TCP port announced as ours (the port a seeder in the same process listens on, or the one the owner of the
    /// discovery announces); 0 = none. Peers found on this port at one of our own addresses are never dialled:
    /// trackers such as opentracker hand our own endpoint back.
    /// </summary>
    public int ListenPort { get; init; }
}
