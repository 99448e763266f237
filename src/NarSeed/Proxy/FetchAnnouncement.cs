using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.Proxy;

/// <summary>
/// One nar's registration with the proxy's <see cref="PeerDiscovery"/> (trackers, LSD) from the start of its swarm
/// fetch to the end of seeding it (<see cref="ProxyOptions.SeedAfterFetch"/>): trackers see one peer go through
/// started (with bytes left), completed and, while it is seeded, announces with nothing left, then stopped when
/// seeding ends — or at shutdown, within the scheduler's deadline. Used only when seed-after-fetch is on; the
/// download itself then does not register (a second registration under the same hash would be refused, and a
/// download's stopped racing the seeder's started would make trackers forget the seeder).
/// </summary>
public sealed class FetchAnnouncement
{
    /// <summary><c>left</c> before the length is known: one 16 KiB block, as the downloader itself reports.</summary>
    private const long UnknownLeft = 16 * 1024;

    private readonly IPeerSource _discovery;
    private readonly DiscoveryTorrent _entry;
    private TorrentDownload? _download;
    private long? _length;
    private int _completed;
    private int _stopped;

    private FetchAnnouncement(IPeerSource discovery, MagnetLink magnet)
    {
        _discovery = discovery;
        _length = magnet.ExactLength;
        // Each tr= of a magnet is a tier of its own (BEP 9), as the downloader announces them; the proxy's
        // --tracker list is added by PeerDiscovery as one more tier.
        var tiers = magnet.Trackers
            .Select(t => Uri.TryCreate(t, UriKind.Absolute, out var u) ? u : null).OfType<Uri>()
            .Select(u => (IReadOnlyList<Uri>)[u]).ToList();
        _entry = new DiscoveryTorrent(magnet.InfoHashV2!.Value, magnet.InfoHashV1, tiers, Progress);
    }

    /// <summary>
    /// Registers a magnet's torrent; null when it has no v2 hash (discovery keys torrents by it) or it is being
    /// fetched or seeded already (that registration goes on announcing it).
    /// </summary>
    public static FetchAnnouncement? TryStart(IPeerSource discovery, MagnetLink magnet)
    {
        if (magnet.InfoHashV2 is not { Length: 32 }) return null;
        var announcement = new FetchAnnouncement(discovery, magnet);
        try
        {
            discovery.Add(announcement._entry);
            return announcement;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The download whose byte counts are announced until it completes.</summary>
    public void Track(TorrentDownload download) => Volatile.Write(ref _download, download);

    /// <summary>
    /// Every byte is verified (and, when seeded, served): trackers get <c>event=completed</c> and from now on nothing
    /// left. Only the first call counts.
    /// </summary>
    public void Completed(long length)
    {
        _length = length;
        if (Interlocked.Exchange(ref _completed, 1) == 0) _discovery.MarkCompleted(_entry);
    }

    /// <summary>Stops announcing (trackers that saw it start get stopped); only the first call counts.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0) _discovery.Remove(_entry);
    }

    private TrackerProgress Progress()
    {
        var download = Volatile.Read(ref _download);
        var downloaded = download is null ? 0 : download.BytesFromPeers + download.BytesFromWebSeeds;
        if (Volatile.Read(ref _completed) == 1) return new TrackerProgress(0, downloaded, 0);
        var length = download?.Torrent?.Length ?? _length;
        var left = length is { } l ? Math.Max(1, l - downloaded) : UnknownLeft;
        return new TrackerProgress(0, downloaded, left);
    }
}
