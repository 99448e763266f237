using System.Net;
using NarSeed.BitTorrent.Discovery;

namespace NarSeed.BitTorrent.Tests.Discovery;

public class PeerDiscoveryTests
{
    private static PeerDiscovery Hub(bool pex = true) =>
        new(new DiscoveryOptions { EnableTrackers = false, EnableLsd = false, EnablePex = pex, MaxPeersPerTorrent = 3 },
            new byte[20], () => 6881);

    [Fact]
    public async Task Dedupes_per_torrent_across_sources_and_hashes_and_watchers_see_known_then_new_peers()
    {
        await using var hub = Hub();
        var v2 = Enumerable.Repeat((byte)2, 32).ToArray();
        var v1 = Enumerable.Repeat((byte)1, 20).ToArray();
        var torrent = new DiscoveryTorrent(v2, v1);
        hub.Add(torrent);
        hub.Report(v2.AsSpan(0, 20), IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Tracker).Should().BeTrue();
        hub.Report(v1, IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Lsd).Should().BeFalse("same endpoint under the v1 hash");
        hub.Report(v1, IPEndPoint.Parse("[::ffff:10.0.0.1]:1"), PeerSource.Pex).Should().BeFalse("IPv4-mapped is the same peer");
        hub.Report(v2, IPEndPoint.Parse("0.0.0.0:5"), PeerSource.Pex).Should().BeFalse("not a usable address");
        hub.Report(new byte[20], IPEndPoint.Parse("10.0.0.9:1"), PeerSource.Pex).Should().BeFalse("unknown torrent");

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var seen = new List<DiscoveredPeer>();
        var watching = Task.Run(async () =>
        {
            await foreach (var peer in hub.WatchAsync(torrent.Key, cancel.Token))
            {
                seen.Add(peer);
                if (seen.Count == 3) break;
            }
        });
        hub.Report(v1, IPEndPoint.Parse("10.0.0.2:2"), PeerSource.Lsd);
        hub.Report(v2, IPEndPoint.Parse("10.0.0.3:3"), PeerSource.Pex);
        hub.Report(v2, IPEndPoint.Parse("10.0.0.4:4"), PeerSource.Pex).Should().BeFalse("MaxPeersPerTorrent is 3");
        await watching;
        seen.Select(p => (p.EndPoint.ToString(), p.Source)).Should().Equal(
            ("10.0.0.1:1", PeerSource.Tracker), ("10.0.0.2:2", PeerSource.Lsd), ("10.0.0.3:3", PeerSource.Pex));
        hub.KnownPeers(v1).Should().HaveCount(3);
        hub.Remove(torrent).Should().BeTrue();
        hub.KnownPeers(v1).Should().BeEmpty();
    }

    [Fact]
    public async Task A_switched_off_source_reports_nothing_and_runs_nothing()
    {
        await using var hub = Hub(pex: false);
        var torrent = new DiscoveryTorrent(new byte[32], null);
        hub.Add(torrent);
        hub.PexEnabled.Should().BeFalse();
        hub.Trackers.Should().BeNull();
        hub.Lsd.Should().BeNull();
        hub.Report(torrent.Key.Span, IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Pex).Should().BeFalse();
        hub.Report(torrent.Key.Span, IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Manual).Should().BeTrue();
    }
}
