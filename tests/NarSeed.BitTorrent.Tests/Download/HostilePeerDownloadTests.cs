using System.Net;
using System.Runtime.CompilerServices;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>Peers that lie (hashes, blocks) are banned; peers can come from an <see cref="IPeerSource"/>.</summary>
public sealed class HostilePeerDownloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_peer_sending_false_hashes_and_blocks_is_banned_and_the_magnet_completes_from_the_good_seeder()
    {
        await using var bed = await DownloadTestBed.CreateAsync(2 * 1024 * 1024, pieceLength: 16 * 1024);
        await using var liar = new LyingPeer(bed.Torrent);
        // The good seeder is capped, so the liar is surely asked for hashes or blocks before the download ends.
        var good = await bed.StartSeederAsync(uploadRateLimit: 2 * 1024 * 1024);
        var magnet = new MagnetLink { InfoHashV2 = bed.Torrent.InfoHashV2 };
        await using var download = new TorrentDownload(magnet, bed.Options("out", liar.EndPoint, good));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        download.BannedPeers.Should().Contain(liar.EndPoint);
        download.BannedPeers.Should().NotContain(good);
    }

    [Fact]
    public async Task Peers_found_by_discovery_are_dialled()
    {
        await using var bed = await DownloadTestBed.CreateAsync(1024 * 1024 + 1, pieceLength: 16 * 1024);
        var good = await bed.StartSeederAsync();
        var source = new OnePeerSource(good);
        var options = bed.Options("out");
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = options.OutputDirectory, Discovery = source,
        });
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        source.WatchedHash.Should().Equal(bed.Torrent.TruncatedInfoHashV2.ToArray());
    }

    /// <summary>An <see cref="IPeerSource"/> that knows one peer for any torrent.</summary>
    private sealed class OnePeerSource(IPEndPoint peer) : IPeerSource
    {
        public byte[]? WatchedHash { get; private set; }

        public bool PexEnabled => false;

        public void Add(DiscoveryTorrent torrent) { }

        public bool Remove(DiscoveryTorrent torrent) => true;

        public async IAsyncEnumerable<DiscoveredPeer> WatchAsync(ReadOnlyMemory<byte> infoHash,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            WatchedHash = infoHash.ToArray();
            yield return new DiscoveredPeer(peer, PeerSource.Tracker);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public bool Report(ReadOnlySpan<byte> infoHash, IPEndPoint peer, PeerSource source) => false;
    }
}
