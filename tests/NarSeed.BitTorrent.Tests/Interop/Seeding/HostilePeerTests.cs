using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Tests.Engine;
using NarSeed.BitTorrent.Wire;
using Xunit.Abstractions;

namespace NarSeed.BitTorrent.Tests.Interop.Seeding;

/// <summary>
/// Each hostile peer breaks one limit of bittorrent.md §5.7 on the same torrent that real libtorrent is downloading at
/// the same time: the hostile peer is disconnected for that reason, and libtorrent's download and recheck still pass.
/// </summary>
[Collection("interop")]
public class HostilePeerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(10);
    private const int PieceLength = 32768;

    private async Task AttackDuringHonestDownloadAsync(WireProtocolErrorReason expected, Func<SeedingTestBed, byte[], Task> attack)
    {
        await using var bed = await SeedingTestBed.StartAsync();
        var data = bed.WriteData("victim.bin", 1_500_000, seed: 11);
        var spec = new JsonObject
        {
            ["make"] = new JsonArray(SeedingTestBed.Make(data, pieceSize: PieceLength)),
            ["jobs"] = new JsonArray(bed.TorrentJob(data + ".torrent", "honest")),
        };
        await using var scenario = await LibtorrentScenario.StartAsync(bed.Directory, spec, 1);
        var torrent = scenario.Torrents[0].ToSeedTorrent(data);
        bed.Engine.Register(torrent);

        var honest = scenario.RunJobsAsync(TimeSpan.FromSeconds(90));
        await attack(bed, torrent.InfoHashV2!);
        var (exitCode, results) = await honest;

        output.WriteLine(scenario.Output);
        output.WriteLine(bed.Log.ToString());
        // The engine counts a violation as it tears the connection down, which can be a moment after the attacker
        // sees the socket close: poll briefly instead of racing it.
        for (var wait = 0; wait < 50 && bed.Engine.ViolationCount(expected) == 0; wait++)
        {
            await Task.Delay(100);
        }
        bed.Engine.ViolationCount(expected).Should().BeGreaterThanOrEqualTo(1, bed.Log.ToString());
        exitCode.Should().Be(0, scenario.Output);
        results.Should().ContainSingle().Which.Should().Match<JobResult>(r => r.Ok && r.Hash_Failures == 0);
    }

    private static async Task<FakePeer> ConnectedAsync(SeedingTestBed bed, byte[] hash)
    {
        var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(hash);
        return peer;
    }

    /// <summary>Sends interested and waits for the unchoke, so further requests are queued, not rejected.</summary>
    private static async Task<FakePeer> UnchokedAsync(SeedingTestBed bed, byte[] hash)
    {
        var peer = await ConnectedAsync(bed, hash);
        await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
        await peer.ReadUntilAsync(MessageId.Unchoke, TimeSpan.FromSeconds(10));
        return peer;
    }

    [Fact]
    public Task A_message_above_the_size_limit_closes_only_that_peer() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.MessageTooLarge, async (bed, hash) =>
        {
            await using var peer = await ConnectedAsync(bed, hash);
            await peer.SendAsync([0x00, 0x10, 0x00, 0x01, (byte)MessageId.Extended, 0, 0, 0]);
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
        });

    [Fact]
    public Task A_request_past_the_end_of_a_piece_closes_only_that_peer() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.RequestOutOfRange, async (bed, hash) =>
        {
            await using var peer = await UnchokedAsync(bed, hash);
            await peer.SendAsync(w => new BlockRequestMessage(MessageId.Request, 0, PieceLength - 8192, 16384).Write(w));
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
        });

    [Fact]
    public Task A_request_longer_than_16_KiB_closes_only_that_peer() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.RequestTooLong, async (bed, hash) =>
        {
            await using var peer = await UnchokedAsync(bed, hash);
            await peer.SendAsync(w => new BlockRequestMessage(MessageId.Request, 1, 0, 32768).Write(w));
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
        });

    [Fact]
    public Task Five_thousand_queued_requests_close_only_that_peer() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.RequestQueueFull, async (bed, hash) =>
        {
            await using var peer = await UnchokedAsync(bed, hash);
            await peer.SendAsync(w =>
            {
                for (var i = 0; i < 5000; i++)
                {
                    new BlockRequestMessage(MessageId.Request, (uint)(i % 40), (uint)(i / 40 % 2 * 16384), 16384).Write(w);
                }
            });
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
        });

    [Fact]
    public Task A_hash_request_with_absurd_fields_closes_only_that_peer() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.InvalidHashRequest, async (bed, hash) =>
        {
            await using var peer = await ConnectedAsync(bed, hash);
            var root = bed.Engine.Find(hash.AsSpan(0, 20))!.PiecesRoot;
            await peer.SendAsync(w =>
                new HashRequestMessage(MessageId.HashRequest, root, 40, 0xFFFFFFF0, 3, 1000).Write(w));
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
        });

    [Fact]
    public Task Garbage_after_the_handshake_closes_only_that_peer() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.MessageTooLarge, async (bed, hash) =>
        {
            await using var peer = await ConnectedAsync(bed, hash);
            var garbage = new byte[4096];
            new Random(7).NextBytes(garbage);
            garbage[0] = 0xC3; // a length prefix far above 1 MiB, as random bytes almost always are
            await peer.SendAsync(garbage);
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
        });

    [Fact]
    public Task A_connection_that_never_sends_anything_is_closed_after_the_handshake_timeout() =>
        AttackDuringHonestDownloadAsync(WireProtocolErrorReason.HandshakeTimeout, async (bed, _) =>
        {
            await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
            var started = DateTime.UtcNow;
            (await peer.IsClosedWithinAsync(CloseBound)).Should().BeTrue();
            (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromSeconds(1.5), "the test bed's handshake timeout is 2 s");
        });
}
