using System.Buffers;
using System.Buffers.Binary;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>The seeder's side of bittorrent.md §5, checked message by message with a scripted peer.</summary>
public class SeedEngineProtocolTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Greets_with_extension_handshake_then_have_all_and_serves_a_request_after_unchoking()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, data, _) = await bed.AddAsync(200_000, 65536);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        var reply = await peer.HandshakeAsync(info.InfoHashV2);
        reply.InfoHash.ToArray().Should().Equal(info.InfoHashV2[..20].ToArray());
        reply.Reserved.Should().HaveFlag(ReservedBits.Extension).And.HaveFlag(ReservedBits.Fast);

        var (id, frame) = await peer.ReadMessageAsync(Wait);
        id.Should().Be(MessageId.Extended);
        frame[5].Should().Be(ExtendedMessage.HandshakeId);
        var handshake = (BencodeDictionary)BencodeValue.Parse(frame.AsMemory(6));
        handshake.Get<BencodeInteger>("metadata_size")!.Value.Should().Be(info.RawInfo.Length);
        handshake.Get<BencodeDictionary>("m")!.Get<BencodeInteger>("ut_metadata")!.Value.Should().BeGreaterThan(0);
        handshake.Get<BencodeInteger>("reqq")!.Value.Should().Be(WireLimits.MaxRequestQueue);
        (await peer.ReadMessageAsync(Wait)).Id.Should().Be(MessageId.HaveAll);

        await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
        await peer.ReadUntilAsync(MessageId.Unchoke, Wait);
        await peer.SendAsync(w => new BlockRequestMessage(MessageId.Request, 2, 16384, 16384).Write(w));
        var piece = await peer.ReadUntilAsync(MessageId.Piece, Wait);
        BinaryPrimitives.ReadUInt32BigEndian(piece.AsSpan(5)).Should().Be(2);
        BinaryPrimitives.ReadUInt32BigEndian(piece.AsSpan(9)).Should().Be(16384);
        piece.AsSpan(13).ToArray().Should().Equal(data.AsSpan(2 * 65536 + 16384, 16384).ToArray());
    }

    [Fact]
    public async Task The_tail_of_a_v2_last_piece_past_the_end_of_the_file_is_served_as_zeros()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, data, _) = await bed.AddAsync(70_000, 65536);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
        await peer.ReadUntilAsync(MessageId.Unchoke, Wait);
        await peer.SendAsync(w => new BlockRequestMessage(MessageId.Request, 1, 0, 16384).Write(w));
        var piece = await peer.ReadUntilAsync(MessageId.Piece, Wait);
        piece.AsSpan(13, 70_000 - 65536).ToArray().Should().Equal(data.AsSpan(65536).ToArray());
        piece.AsSpan(13 + 70_000 - 65536).ToArray().Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public async Task An_unknown_info_hash_is_closed_without_a_reply()
    {
        await using var bed = await EngineTestBed.StartAsync();
        await bed.AddAsync(50_000, 16384);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        var act = () => peer.HandshakeAsync(new byte[20]);
        await act.Should().ThrowAsync<IOException>();
        bed.Engine.ViolationCount(WireProtocolErrorReason.UnknownInfoHash).Should().Be(1);
    }

    [Fact]
    public async Task An_encrypted_handshake_is_closed_at_once()
    {
        await using var bed = await EngineTestBed.StartAsync();
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        var dh = new byte[96]; // MSE begins with a Diffie-Hellman public key: random bytes
        new Random(3).NextBytes(dh);
        dh[0] = 0x8F;
        await peer.SendAsync(dh);
        (await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(1))).Should().BeTrue();
        bed.Engine.ViolationCount(WireProtocolErrorReason.NotBitTorrentHandshake).Should().Be(1);
    }

    [Fact]
    public async Task A_hybrid_peer_using_the_v1_hash_with_the_upgrade_bit_is_answered_with_the_v2_hash()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, _, _) = await bed.AddAsync(100_000, 32768, hybrid: true);
        await using (var upgrading = await FakePeer.ConnectAsync(bed.Engine.Port))
        {
            var reply = await upgrading.HandshakeAsync(info.InfoHashV1!.Value,
                ReservedBits.Extension | ReservedBits.Fast | ReservedBits.V2Upgrade);
            reply.InfoHash.ToArray().Should().Equal(info.InfoHashV2[..20].ToArray());
        }
        await using var v1Only = await FakePeer.ConnectAsync(bed.Engine.Port);
        (await v1Only.HandshakeAsync(info.InfoHashV1!.Value)).InfoHash.ToArray().Should().Equal(info.InfoHashV1!.Value.ToArray());
        // A v1 connection may not use BEP 52 messages.
        await v1Only.SendAsync(w => new HashRequestMessage(MessageId.HashRequest, info.PiecesRoot, 1, 0, 2, 0).Write(w));
        (await v1Only.IsClosedWithinAsync(Wait)).Should().BeTrue();
        bed.Engine.ViolationCount(WireProtocolErrorReason.NotNegotiated).Should().Be(1);
    }

    [Theory]
    [InlineData(2, 0, 4, 1)]     // piece layer of 64 KiB pieces (level 2), 4 hashes, no uncles needed below the root
    [InlineData(2, 8, 8, 3)]     // piece layer, aligned range with one uncle up to the root
    [InlineData(0, 16, 4, 5)]    // block layer: one piece's 4 blocks with proof up to the root
    public async Task Hash_requests_are_answered_with_proofs_that_fold_to_the_pieces_root(int baseLayer, int index, int length, int proofLayers)
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, _, _) = await bed.AddAsync(1_000_000, 65536); // 16 pieces, 62 blocks, tree height 6
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        var request = new HashRequestMessage(MessageId.HashRequest, info.PiecesRoot, (uint)baseLayer, (uint)index, (uint)length, (uint)proofLayers);
        await peer.SendAsync(request.Write);
        var frame = await peer.ReadUntilAsync(MessageId.Hashes, Wait);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
        HashesMessage.TryRead(ref reader, out var hashes).Should().BeTrue();
        var proof = new MerkleProofRequest(baseLayer, index, length, proofLayers);
        var bytes = hashes.Hashes.ToArray();
        bytes.Length.Should().Be(MerkleProofs.HashCount(proof) * 32);
        if (proofLayers == info.Geometry.TreeHeight - baseLayer - 1)
        {
            MerkleProofs.VerifiesAgainstRoot(info.Geometry, proof, bytes, info.PiecesRoot.Span).Should().BeTrue();
        }
        if (baseLayer == 2) bytes.AsSpan(0, length * 32).ToArray().Should().Equal(info.PieceLayer.Slice(index * 32, length * 32).ToArray());
    }

    [Fact]
    public async Task A_well_formed_hash_request_outside_the_tree_gets_a_hash_reject_and_the_peer_stays()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, _, _) = await bed.AddAsync(1_000_000, 65536);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        var request = new HashRequestMessage(MessageId.HashRequest, info.PiecesRoot, 2, 512, 512, 0);
        await peer.SendAsync(request.Write);
        var frame = await peer.ReadUntilAsync(MessageId.HashReject, Wait);
        frame.AsSpan(5).ToArray().Should().Equal(Bytes(request.Write).AsSpan(5).ToArray());
        await peer.SendAsync(w => StateMessage.Write(w, MessageId.Interested));
        await peer.ReadUntilAsync(MessageId.Unchoke, Wait);
        bed.Engine.HashRequestsRejected.Should().Be(1);
    }

    [Fact]
    public async Task Serves_metadata_pieces_and_rejects_a_piece_that_does_not_exist()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, _, _) = await bed.AddAsync(300_000, 16384, hybrid: true); // 19 v1 hashes in the info dict
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        await peer.SendAsync(w => ExtendedMessage.Write(w, 0, "d1:md11:ut_metadatai7eee"u8));
        await peer.SendAsync(w => ExtendedMessage.Write(w, 2, "d8:msg_typei0e5:piecei0ee"u8));
        var data = await peer.ReadUntilAsync(MessageId.Extended, Wait);
        while (data[5] != 7) data = await peer.ReadUntilAsync(MessageId.Extended, Wait);
        var body = data.AsMemory(6);
        var header = "d8:msg_typei1e5:piecei0e10:total_sizei" + info.RawInfo.Length + "ee";
        System.Text.Encoding.ASCII.GetString(body.Span[..header.Length]).Should().Be(header);
        body[header.Length..].ToArray().Should().Equal(info.RawInfo.ToArray());

        await peer.SendAsync(w => ExtendedMessage.Write(w, 2, "d8:msg_typei0e5:piecei9ee"u8));
        var reject = await peer.ReadUntilAsync(MessageId.Extended, Wait);
        System.Text.Encoding.ASCII.GetString(reject.AsSpan(6)).Should().Be("d8:msg_typei2e5:piecei9ee");
    }

    [Fact]
    public async Task Requests_while_choked_are_rejected_except_allowed_fast_pieces()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, _, _) = await bed.AddAsync(2_000_000, 16384);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        var allowed = AllowedFastSet.Generate([127, 0, 0, 1], info.InfoHashV2[..20].Span, info.PieceCount, AllowedFastSet.DefaultSize);
        var notAllowed = Enumerable.Range(0, info.PieceCount).Select(i => (uint)i).First(i => !allowed.Contains(i));
        await peer.SendAsync(w => new BlockRequestMessage(MessageId.Request, notAllowed, 0, 16384).Write(w));
        var reject = await peer.ReadUntilAsync(MessageId.RejectRequest, Wait);
        BinaryPrimitives.ReadUInt32BigEndian(reject.AsSpan(5)).Should().Be(notAllowed);
        await peer.SendAsync(w => new BlockRequestMessage(MessageId.Request, allowed[0], 0, 16384).Write(w));
        var piece = await peer.ReadUntilAsync(MessageId.Piece, Wait);
        BinaryPrimitives.ReadUInt32BigEndian(piece.AsSpan(5)).Should().Be(allowed[0]);
    }

    [Fact]
    public async Task The_per_torrent_connection_limit_closes_the_extra_peer()
    {
        await using var bed = await EngineTestBed.StartAsync(o => o.MaxConnectionsPerTorrent = 1);
        var (info, _, _) = await bed.AddAsync(50_000, 16384);
        await using var first = await FakePeer.ConnectAsync(bed.Engine.Port);
        await first.HandshakeAsync(info.InfoHashV2);
        await using var second = await FakePeer.ConnectAsync(bed.Engine.Port);
        var act = () => second.HandshakeAsync(info.InfoHashV2);
        await act.Should().ThrowAsync<IOException>();
        (await first.ReadMessageAsync(Wait)).Id.Should().Be(MessageId.Extended, "the first peer is unaffected");
    }

    [Fact]
    public async Task The_total_connection_limit_closes_connections_beyond_it_at_accept()
    {
        await using var bed = await EngineTestBed.StartAsync(o => o.MaxConnections = 1);
        var (info, _, _) = await bed.AddAsync(50_000, 16384);
        await using var first = await FakePeer.ConnectAsync(bed.Engine.Port);
        await first.HandshakeAsync(info.InfoHashV2);
        try
        {
            // The reset can even overtake the client's view of its own connect on loopback.
            await using var second = await FakePeer.ConnectAsync(bed.Engine.Port);
            (await second.IsClosedWithinAsync(Wait)).Should().BeTrue();
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
        {
        }
        bed.Engine.ConnectionCount.Should().Be(1);
        (await first.ReadMessageAsync(Wait)).Id.Should().Be(MessageId.Extended, "the first peer is unaffected");
    }

    [Fact]
    public async Task Unregistering_closes_the_torrents_peers_and_refuses_new_ones()
    {
        await using var bed = await EngineTestBed.StartAsync();
        var (info, _, torrent) = await bed.AddAsync(50_000, 16384);
        await using var peer = await FakePeer.ConnectAsync(bed.Engine.Port);
        await peer.HandshakeAsync(info.InfoHashV2);
        bed.Engine.Unregister(torrent).Should().BeTrue();
        (await peer.IsClosedWithinAsync(Wait)).Should().BeTrue();
        bed.Engine.TorrentCount.Should().Be(0);
        await using var late = await FakePeer.ConnectAsync(bed.Engine.Port);
        var act = () => late.HandshakeAsync(info.InfoHashV2);
        await act.Should().ThrowAsync<IOException>();
    }

    private static byte[] Bytes(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
