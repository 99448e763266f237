using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>The heartbeat, the choker, the shared rate limit, cancel and the dual-stack listener.</summary>
public class SeedEngineSchedulingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_cancelled_request_still_gets_an_answer_a_reject_under_the_fast_extension()
    {
        // 16 KiB/s: the queue drains one block per second, so the cancel arrives while the request is queued.
        await using var bed = await EngineTestBed.StartAsync(o => o.UploadRateLimit = 16 * 1024);
        var (info, _, _) = await bed.AddAsync(400_000, 16384);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
        await peer.ReadUntilAsync(MessageId.Unchoke, Wait);
        await peer.SendAsync(w =>
        {
            for (uint i = 0; i < 6; i++) new BlockRequestMessage(MessageId.Request, i, 0, 16384).Write(w);
            new BlockRequestMessage(MessageId.Cancel, 5, 0, 16384).Write(w);
        });
        var reject = await peer.ReadUntilAsync(MessageId.RejectRequest, Wait);
        BinaryPrimitives.ReadUInt32BigEndian(reject.AsSpan(5)).Should().Be(5);
    }

    [Fact]
    public async Task The_upload_rate_limit_is_shared_and_enforced()
    {
        const int rate = 2 * 1024 * 1024;
        await using var bed = await EngineTestBed.StartAsync(o => o.UploadRateLimit = rate);
        var (info, _, _) = await bed.AddAsync(6 * 1024 * 1024, 65536);
        await using var first = await FakePeer.ConnectAsync(bed.Engine.Port);
        await using var second = await FakePeer.ConnectAsync(bed.Engine.Port);
        var clock = Stopwatch.StartNew();
        // Two peers take 3 MiB each; together they may not beat the one shared limit.
        await Task.WhenAll(DownloadAsync(first, info.InfoHashV2, 0, 48), DownloadAsync(second, info.InfoHashV2, 48, 48));
        var seconds = clock.Elapsed.TotalSeconds;
        var expected = (6.0 * 1024 * 1024 - rate / 4.0) / rate; // minus the bucket's quarter-second burst
        seconds.Should().BeGreaterThan(expected * 0.9);
        bed.Engine.BytesUploaded.Should().Be(6 * 1024 * 1024);
    }

    private static async Task DownloadAsync(FakePeer peer, ReadOnlyMemory<byte> hash, int firstPiece, int pieces)
    {
        await peer.HandshakeAsync(hash);
        await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
        await peer.ReadUntilAsync(MessageId.Unchoke, Wait);
        await peer.SendAsync(w =>
        {
            for (var p = firstPiece; p < firstPiece + pieces; p++)
            {
                for (uint b = 0; b < 4; b++) new BlockRequestMessage(MessageId.Request, (uint)p, b * 16384, 16384).Write(w);
            }
        });
        for (var i = 0; i < pieces * 4; i++) await peer.ReadUntilAsync(MessageId.Piece, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_quiet_connection_gets_keep_alives_and_a_silent_peer_is_dropped_after_the_peer_timeout()
    {
        await using var bed = await EngineTestBed.StartAsync(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(300);
            o.PeerTimeout = TimeSpan.FromSeconds(1.5);
        });
        var (info, _, _) = await bed.AddAsync(50_000, 16384);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        var keepAliveSeen = false;
        try
        {
            while (true)
            {
                var (id, _) = await peer.ReadMessageAsync(Wait);
                if (id is null) keepAliveSeen = true;
            }
        }
        catch (EndOfStreamException)
        {
        }
        keepAliveSeen.Should().BeTrue();
        // The count is taken as the connection's task ends, just after the socket closes.
        for (var i = 0; i < 50 && bed.Engine.ViolationCount(WireProtocolErrorReason.PeerTimeout) == 0; i++) await Task.Delay(20);
        bed.Engine.ViolationCount(WireProtocolErrorReason.PeerTimeout).Should().Be(1);
    }

    [Fact]
    public async Task The_choker_keeps_upload_slots_plus_one_optimistic_and_rotates_the_optimistic_slot()
    {
        await using var bed = await EngineTestBed.StartAsync(o =>
        {
            o.UploadSlots = 1;
            o.RechokeInterval = TimeSpan.FromMilliseconds(300);
            o.OptimisticRotation = 1;
        });
        var (info, _, _) = await bed.AddAsync(50_000, 16384);
        var peers = new List<FakePeer>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
                peers.Add(peer);
                await peer.HandshakeAsync(info.InfoHashV2);
                await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
            }
            // Watch every peer's choke messages, and the choker's own count, for several rechoke rounds.
            var unchokedEver = new bool[peers.Count];
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
            var readers = peers.Select((peer, i) => Task.Run(async () =>
            {
                try
                {
                    while (DateTime.UtcNow < until)
                    {
                        var (id, _) = await peer.ReadMessageAsync(until - DateTime.UtcNow);
                        if (id == MessageId.Unchoke) unchokedEver[i] = true;
                    }
                }
                catch (OperationCanceledException)
                {
                }
            })).ToArray();
            var maxUnchoked = 0;
            while (DateTime.UtcNow < until)
            {
                maxUnchoked = Math.Max(maxUnchoked, bed.Engine.Choker.UnchokedCount);
                await Task.Delay(10);
            }
            await Task.WhenAll(readers);
            maxUnchoked.Should().Be(2, "one upload slot plus one optimistic slot");
            unchokedEver.Count(u => u).Should().BeGreaterThan(2, "the optimistic slot moves between rechokes");
        }
        finally
        {
            foreach (var peer in peers) await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_default_listener_takes_IPv4_and_IPv6_on_one_port()
    {
        await using var bed = await EngineTestBed.StartAsync(o => o.ListenAddresses = [IPAddress.IPv6Any]);
        var (info, _, _) = await bed.AddAsync(50_000, 16384);
        using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await v6.ConnectAsync(IPAddress.IPv6Loopback, bed.Engine.Port);
        await using var v4 = await FakePeer.ConnectAsync(bed.Engine.Port);
        (await v4.HandshakeAsync(info.InfoHashV2)).InfoHash.ToArray().Should().Equal(info.InfoHashV2[..20].ToArray());
        v6.Connected.Should().BeTrue();
    }
}
