using System.Buffers;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

internal sealed partial class PeerConnection
{
    /// <summary>Parses every complete frame in <paramref name="buffer"/>; returns how far it got.</summary>
    private SequencePosition ProcessMessages(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        var any = false;
        while (WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out _, out var id))
        {
            any = true;
            if (id is not { } messageId)
            {
                WireFrame.TryReadKeepAlive(ref reader);
                continue;
            }
            Dispatch(ref reader, messageId);
        }
        if (any) Volatile.Write(ref _lastReceived, _engine.Time.GetTimestamp());
        return reader.Position;
    }

    private void Dispatch(ref SequenceReader<byte> reader, MessageId id)
    {
        if (id.IsFastExtension() && !_fast) throw NotNegotiated(id, "fast extension");
        if (id.IsHashTransfer() && !_v2) throw NotNegotiated(id, "v2 connection");
        if (id == MessageId.Extended && !_extensions) throw NotNegotiated(id, "extension protocol");
        switch (id)
        {
            case MessageId.Choke or MessageId.Unchoke or MessageId.HaveAll or MessageId.HaveNone:
                StateMessage.TryRead(ref reader, id);
                break;
            case MessageId.Interested:
                StateMessage.TryRead(ref reader, id);
                OnInterested(true);
                break;
            case MessageId.NotInterested:
                StateMessage.TryRead(ref reader, id);
                OnInterested(false);
                break;
            case MessageId.Have or MessageId.SuggestPiece or MessageId.AllowedFast:
                PieceIndexMessage.TryRead(ref reader, id, out var have);
                if (have.Index >= TorrentOrThrow.PieceCount)
                {
                    throw new WireProtocolException(WireProtocolErrorReason.RequestOutOfRange,
                        $"{id} of piece {have.Index}, the torrent has {TorrentOrThrow.PieceCount}.", reader.Consumed);
                }
                break;
            case MessageId.Bitfield:
                BitfieldMessage.TryRead(ref reader, TorrentOrThrow.PieceCount, out _);
                break;
            case MessageId.Request:
                BlockRequestMessage.TryRead(ref reader, id, out var request);
                OnRequest(request, reader.Consumed);
                break;
            case MessageId.Cancel:
                BlockRequestMessage.TryRead(ref reader, id, out var cancel);
                OnCancel(cancel);
                break;
            case MessageId.RejectRequest:
                BlockRequestMessage.TryRead(ref reader, id, out _);
                break;
            case MessageId.Piece:
                throw new WireProtocolException(WireProtocolErrorReason.UnexpectedMessage,
                    "A piece was sent to a seeder that requested nothing.", reader.Consumed);
            case MessageId.Port:
                PortMessage.TryRead(ref reader, out _);
                break;
            case MessageId.Extended:
                ExtendedMessage.TryRead(ref reader, out var extended);
                OnExtended(extended, reader.Consumed);
                break;
            case MessageId.HashRequest:
                HashRequestMessage.TryRead(ref reader, id, out var hashRequest);
                OnHashRequest(hashRequest, reader.Consumed);
                break;
            default:
                // Hashes and hash rejects answer requests we never make; unknown ids are ignored (BEP 3 practice).
                WireFrame.TrySkip(ref reader, WireLimits.MaxMessageLength);
                break;
        }
    }

    private static WireProtocolException NotNegotiated(MessageId id, string feature) =>
        new(WireProtocolErrorReason.NotNegotiated, $"{id} received without a negotiated {feature}.");

    private void OnInterested(bool interested)
    {
        _peerInterested = interested;
        Volatile.Write(ref _lastInterest, _engine.Time.GetTimestamp());
        if (interested)
        {
            if (_engine.Choker.TryUnchoke(this)) _wantUnchoked = true;
        }
        else
        {
            _engine.Choker.Remove(this);
            _wantUnchoked = false;
        }
    }

    /// <summary>Checks a request against the limits of bittorrent.md §5.7 and queues it (or rejects it when choked).</summary>
    private void OnRequest(BlockRequestMessage request, long offset)
    {
        var torrent = TorrentOrThrow;
        BlockRequestRules.Validate(request, torrent.PieceCount, torrent.PieceLength, _requests.Count, offset);
        if (_choked && !IsAllowedFast(request.Index))
        {
            // BEP 6: a choked peer's request gets a reject; without the fast extension it is dropped.
            if (_fast) (request with { Id = MessageId.RejectRequest }).Write(_output);
            return;
        }
        _requests.Enqueue(request);
    }

    private void OnCancel(BlockRequestMessage cancel)
    {
        var count = _requests.Count;
        for (var i = 0; i < count; i++)
        {
            var queued = _requests.Dequeue();
            if (queued.Index == cancel.Index && queued.Begin == cancel.Begin && queued.Length == cancel.Length)
            {
                // BEP 6: a cancelled request is still answered, with a reject.
                if (_fast) (queued with { Id = MessageId.RejectRequest }).Write(_output);
                continue;
            }
            _requests.Enqueue(queued);
        }
    }

    private bool IsAllowedFast(uint index) => _allowedFast is { } set && Array.IndexOf(set, index) >= 0;
}
