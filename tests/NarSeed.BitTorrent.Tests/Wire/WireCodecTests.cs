using System.Buffers;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Wire;

/// <summary>Round trips, byte vectors, truncated and overlong input for every message the codec knows.</summary>
public class WireCodecTests
{
    private static byte[] Bytes(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static SequenceReader<byte> Reader(byte[] bytes) => new(new ReadOnlySequence<byte>(bytes));

    [Fact]
    public void Request_has_the_BEP3_layout_and_round_trips()
    {
        var bytes = Bytes(w => new BlockRequestMessage(MessageId.Request, 1, 16384, 16384).Write(w));
        Convert.ToHexString(bytes).Should().Be("0000000D06" + "00000001" + "00004000" + "00004000");
        var reader = Reader(bytes);
        WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out var length, out var id).Should().BeTrue();
        (length, id).Should().Be((13, MessageId.Request));
        BlockRequestMessage.TryRead(ref reader, MessageId.Request, out var message).Should().BeTrue();
        message.Should().Be(new BlockRequestMessage(MessageId.Request, 1, 16384, 16384));
        reader.End.Should().BeTrue();
    }

    [Fact]
    public void Truncated_messages_consume_nothing()
    {
        var bytes = Bytes(w => new BlockRequestMessage(MessageId.Cancel, 7, 0, 100).Write(w));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var reader = Reader(bytes[..cut]);
            WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out _, out _).Should().BeFalse();
            BlockRequestMessage.TryRead(ref reader, MessageId.Cancel, out _).Should().BeFalse();
            reader.Consumed.Should().Be(0);
        }
    }

    [Fact]
    public void A_length_prefix_above_the_limit_throws_before_the_body_arrives()
    {
        var act = () => WireFrame.TryPeek(Reader([0x00, 0x10, 0x00, 0x01, 0x07]), WireLimits.MaxMessageLength, out _, out _);
        act.Should().Throw<WireProtocolException>().Which.Reason.Should().Be(WireProtocolErrorReason.MessageTooLarge);
    }

    [Fact]
    public void A_message_of_the_wrong_length_for_its_id_throws_and_moves_nothing()
    {
        var reader = Reader([0, 0, 0, 6, 4, 0, 0, 0, 1, 0]);
        try
        {
            PieceIndexMessage.TryRead(ref reader, MessageId.Have, out _);
            Assert.Fail("expected an exception");
        }
        catch (WireProtocolException e)
        {
            e.Reason.Should().Be(WireProtocolErrorReason.InvalidMessageLength);
        }
        reader.Consumed.Should().Be(0);
    }

    [Theory]
    [InlineData(MessageId.Choke, "0000000100")]
    [InlineData(MessageId.HaveAll, "000000010E")]
    [InlineData(MessageId.HaveNone, "000000010F")]
    public void State_messages(MessageId id, string hex)
    {
        var bytes = Bytes(w => StateMessage.Write(w, id));
        Convert.ToHexString(bytes).Should().Be(hex);
        var reader = Reader(bytes);
        StateMessage.TryRead(ref reader, id).Should().BeTrue();
        reader.End.Should().BeTrue();
    }

    [Fact]
    public void Piece_round_trips_and_rejects_an_overlong_block()
    {
        var block = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var bytes = Bytes(w => PieceMessage.Write(w, 3, 32768, block));
        var reader = Reader(bytes);
        PieceMessage.TryRead(ref reader, WireLimits.BlockSize, out var piece).Should().BeTrue();
        (piece.Index, piece.Begin, piece.Block.ToArray()).Should().BeEquivalentTo((3u, 32768u, block));
        var act = () => { var small = Reader(bytes); return PieceMessage.TryRead(ref small, 99, out _); };
        act.Should().Throw<WireProtocolException>();
    }

    [Fact]
    public void Complete_bitfield_clears_spare_bits()
    {
        var bytes = Bytes(w => BitfieldMessage.WriteComplete(w, 10));
        Convert.ToHexString(bytes).Should().Be("0000000305FFC0");
        var reader = Reader(bytes);
        BitfieldMessage.TryRead(ref reader, 10, out var bits).Should().BeTrue();
        bits.ToArray().Should().Equal(0xFF, 0xC0);
        Bytes(w => BitfieldMessage.Write(w, [0xFF, 0xC0])).Should().Equal(bytes);
        var act = () => { var r = Reader(bytes); return BitfieldMessage.TryRead(ref r, 17, out _); };
        act.Should().Throw<WireProtocolException>("a bitfield must have exactly ceil(pieces/8) bytes");
    }

    [Fact]
    public void Hash_request_hashes_and_reject_round_trip()
    {
        var root = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var request = new HashRequestMessage(MessageId.HashRequest, root, 3, 512, 512, 9);
        var bytes = Bytes(request.Write);
        bytes.Length.Should().Be(53);
        bytes[..5].Should().Equal(0, 0, 0, 49, 21);
        var reader = Reader(bytes);
        HashRequestMessage.TryRead(ref reader, MessageId.HashRequest, out var read).Should().BeTrue();
        (read.BaseLayer, read.Index, read.Length, read.ProofLayers).Should().Be((3u, 512u, 512u, 9u));
        read.PiecesRoot.ToArray().Should().Equal(root);

        var hashes = new byte[64];
        hashes[63] = 1;
        var replyBytes = Bytes(w => HashesMessage.Write(w, request, hashes));
        var replyReader = Reader(replyBytes);
        HashesMessage.TryRead(ref replyReader, out var reply).Should().BeTrue();
        reply.Hashes.ToArray().Should().Equal(hashes);
        reply.Request.Index.Should().Be(512);

        var reject = Bytes(request.As(MessageId.HashReject).Write);
        reject[4].Should().Be(23);
        reject[5..].Should().Equal(bytes[5..]);
    }

    [Fact]
    public void Extended_message_carries_dictionary_and_tail()
    {
        var bytes = Bytes(w => ExtendedMessage.Write(w, 2, "d1:ai1ee"u8, [9, 9]));
        var reader = Reader(bytes);
        ExtendedMessage.TryRead(ref reader, out var message).Should().BeTrue();
        message.ExtendedId.Should().Be(2);
        message.Payload.ToArray().Should().Equal([.. "d1:ai1ee"u8.ToArray(), 9, 9]);
    }

    [Fact]
    public void Handshake_round_trips_with_reserved_bits_at_their_spec_positions()
    {
        var hash = Enumerable.Repeat((byte)0xAA, 20).ToArray();
        var peer = Enumerable.Repeat((byte)0x2D, 20).ToArray();
        var bytes = Bytes(w => new Handshake(ReservedBits.Extension | ReservedBits.Fast | ReservedBits.V2Upgrade, hash, peer).Write(w));
        bytes.Length.Should().Be(68);
        Convert.ToHexString(bytes[20..28]).Should().Be("0000000000100014");
        var reader = Reader(bytes);
        Handshake.TryRead(ref reader, out var read).Should().BeTrue();
        read.Reserved.Should().Be(ReservedBits.Extension | ReservedBits.Fast | ReservedBits.V2Upgrade);
        read.InfoHash.ToArray().Should().Equal(hash);
    }

    [Fact]
    public void An_encrypted_handshake_is_refused_from_its_first_byte()
    {
        var act = () => { var reader = Reader([0x5B, 0x01]); return Handshake.TryReadHeader(ref reader, out _, new byte[20]); };
        act.Should().Throw<WireProtocolException>().Which.Reason.Should().Be(WireProtocolErrorReason.NotBitTorrentHandshake);
    }

    [Fact]
    public void Random_and_mutated_input_either_parses_or_throws_the_wire_exception()
    {
        var random = new Random(1234);
        var valid = Bytes(w =>
        {
            new BlockRequestMessage(MessageId.Request, 1, 2, 3).Write(w);
            PieceMessage.Write(w, 1, 0, new byte[40]);
            new HashRequestMessage(MessageId.HashRequest, new byte[32], 0, 0, 2, 1).Write(w);
            new PieceIndexMessage(MessageId.Have, 5).Write(w);
        });
        for (var round = 0; round < 2000; round++)
        {
            var input = (byte[])valid.Clone();
            for (var m = 0; m < 3; m++) input[random.Next(input.Length)] = (byte)random.Next(256);
            var reader = Reader(input);
            try
            {
                while (WireFrame.TryPeek(reader, 1000, out var length, out var id))
                {
                    var before = reader.Consumed;
                    switch (id)
                    {
                        case MessageId.Request or MessageId.Cancel or MessageId.RejectRequest:
                            BlockRequestMessage.TryRead(ref reader, id.Value, out _).Should().BeTrue(); break;
                        case MessageId.Piece: PieceMessage.TryRead(ref reader, 1000, out _).Should().BeTrue(); break;
                        case MessageId.HashRequest or MessageId.HashReject:
                            HashRequestMessage.TryRead(ref reader, id.Value, out _).Should().BeTrue(); break;
                        case MessageId.Have: PieceIndexMessage.TryRead(ref reader, id.Value, out _).Should().BeTrue(); break;
                        default: WireFrame.TrySkip(ref reader, 1000).Should().BeTrue(); break;
                    }
                    (reader.Consumed - before).Should().Be(4 + length);
                }
            }
            catch (WireProtocolException)
            {
            }
        }
    }
}
