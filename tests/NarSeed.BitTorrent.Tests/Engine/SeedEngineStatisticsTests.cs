using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>Per-torrent traffic the status page reads: peers now, bytes uploaded (closed connections included).</summary>
public sealed class SeedEngineStatisticsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Uploads_are_counted_per_torrent_and_survive_the_connection()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (busy, _, busyTorrent) = await bed.AddAsync(200_000, 16384, seed: 1);
        var (_, _, idleTorrent) = await bed.AddAsync(50_000, 16384, seed: 2);
        var before = DateTimeOffset.UtcNow;

        await using (var peer = await FakePeer.ConnectAsync(bed.Engine.Port))
        {
            await peer.HandshakeAsync(busy.InfoHashV2);
            await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
            await peer.ReadUntilAsync(MessageId.Unchoke, Wait);
            await peer.SendAsync(w =>
            {
                for (uint p = 0; p < 3; p++) new BlockRequestMessage(MessageId.Request, p, 0, 16384).Write(w);
            });
            for (var i = 0; i < 3; i++) await peer.ReadUntilAsync(MessageId.Piece, Wait);

            var live = bed.Engine.GetStatistics(busyTorrent);
            live.ConnectedPeers.Should().Be(1);
            live.BytesUploaded.Should().Be(3 * 16384);
            live.LastUpload.Should().NotBeNull().And.BeOnOrAfter(before.AddSeconds(-1));
            bed.Engine.ConnectedPeerCount.Should().Be(1);
            bed.Engine.GetActiveStatistics().Should().ContainSingle().Which.Torrent.Should().BeSameAs(busyTorrent);
        }

        // The peer left: the count of peers drops, the bytes stay.
        var deadline = DateTime.UtcNow + Wait;
        while (bed.Engine.ConnectedPeerCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var after = bed.Engine.GetStatistics(busyTorrent);
        after.ConnectedPeers.Should().Be(0);
        after.BytesUploaded.Should().Be(3 * 16384);
        bed.Engine.GetStatistics(idleTorrent).Should().Be(new SeedTorrentStatistics(idleTorrent, 0, 0, null));
        bed.Engine.GetActiveStatistics().Sum(s => s.BytesUploaded).Should().Be(bed.Engine.BytesUploaded);
    }
}
