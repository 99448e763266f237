using System.Buffers;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

internal sealed partial class DownloadPeer
{
    private bool _fast;
    private bool _extensions;
    private bool _choked = true;
    private bool _haveAll;
    private byte[]? _rawBitfield;
    private List<int>? _earlyHaves;
    private bool[]? _peerHas;
    private bool _availabilityCounted;
    private bool _availabilityDirty;

    /// <summary>Parses every whole message in <paramref name="buffer"/>; returns how far it got.</summary>
    private SequencePosition ProcessMessages(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            if (!_handshaken)
            {
                if (!ReadHandshake(ref reader)) break;
                continue;
            }
            if (!WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out var length, out var id)) break;
            if (id is null)
            {
                WireFrame.TryReadKeepAlive(ref reader);
                continue;
            }
            var offset = reader.Consumed;
            var next = reader;
            next.Advance(WireFrame.LengthPrefixSize + length);
            OnMessage(ref reader, id.Value, length, offset);
            reader = next;
        }
        return reader.Position;
    }

    private bool ReadHandshake(ref SequenceReader<byte> reader)
    {
        var start = reader;
        var hash = new byte[Handshake.HashLength];
        var peerId = new byte[Handshake.PeerIdLength];
        if (!Handshake.TryReadHeader(ref reader, out var reserved, hash)) return false;
        if (!Handshake.TryReadPeerId(ref reader, peerId))
        {
            reader = start;
            return false;
        }
        if (!hash.AsSpan().SequenceEqual(_download.HandshakeHash))
        {
            throw new WireProtocolException(WireProtocolErrorReason.UnknownInfoHash, "The peer answered for another torrent.", 0);
        }
        if (peerId.AsSpan().SequenceEqual(_download.PeerId))
        {
            _download.OnSelfConnection(Remote);
            throw new PeerBannedException("is ourselves (the handshake carried our own peer id)");
        }
        _fast = reserved.HasFlag(ReservedBits.Fast);
        _extensions = reserved.HasFlag(ReservedBits.Extension);
        _handshaken = true;
        // BEP 6: with the fast extension exactly one of bitfield / have all / have none comes first.
        if (_fast) StateMessage.Write(_output!, MessageId.HaveNone);
        return true;
    }

    private void OnMessage(ref SequenceReader<byte> reader, MessageId id, int length, long offset)
    {
        switch (id)
        {
            case MessageId.Choke:
                _choked = true;
                ReleaseAll();
                break;
            case MessageId.Unchoke:
                _choked = false;
                break;
            case MessageId.Interested or MessageId.NotInterested:
                OnInterested(id == MessageId.Interested);
                break;
            case MessageId.Port or MessageId.SuggestPiece or MessageId.AllowedFast:
                break;
            case MessageId.Have:
                PieceIndexMessage.TryRead(ref reader, id, out var have);
                OnHave((int)have.Index, offset);
                break;
            case MessageId.HaveAll:
                _haveAll = true;
                _availabilityDirty = true;
                ApplyAvailability();
                break;
            case MessageId.HaveNone:
                break;
            case MessageId.Bitfield:
                reader.Advance(WireFrame.LengthPrefixSize + 1);
                _rawBitfield = new byte[length - 1];
                reader.TryCopyTo(_rawBitfield);
                _availabilityDirty = true;
                ApplyAvailability();
                break;
            case MessageId.Piece:
                PieceMessage.TryRead(ref reader, WireLimits.BlockSize, out var piece);
                OnBlock(piece, offset);
                break;
            case MessageId.RejectRequest:
                BlockRequestMessage.TryRead(ref reader, id, out var reject);
                OnReject(reject);
                break;
            case MessageId.Request:
                BlockRequestMessage.TryRead(ref reader, id, out var request);
                OnRequest(request, offset);
                break;
            case MessageId.Cancel:
                BlockRequestMessage.TryRead(ref reader, id, out var cancel);
                OnCancel(cancel);
                break;
            case MessageId.Extended:
                ExtendedMessage.TryRead(ref reader, out var extended);
                OnExtended(extended, offset);
                break;
            case MessageId.HashRequest:
                HashRequestMessage.TryRead(ref reader, id, out var hashRequest);
                hashRequest.As(MessageId.HashReject).Write(_output!);
                break;
            case MessageId.Hashes:
                HashesMessage.TryRead(ref reader, out var hashes);
                OnHashes(hashes);
                break;
            case MessageId.HashReject:
                HashRequestMessage.TryRead(ref reader, id, out var hashReject);
                OnHashReject(hashReject);
                break;
        }
    }

    private void OnHave(int piece, long offset)
    {
        if (_download.Torrent is { } torrent && (piece < 0 || piece >= torrent.PieceCount))
        {
            throw new WireProtocolException(WireProtocolErrorReason.RequestOutOfRange, $"have {piece}", offset);
        }
        if (_peerHas is not null && _availabilityCounted)
        {
            if (!_peerHas[piece])
            {
                _peerHas[piece] = true;
                _download.Picker!.AddHave(piece);
            }
            return;
        }
        (_earlyHaves ??= []).Add(piece);
        _availabilityDirty = true;
        ApplyAvailability();
    }

    /// <summary>Turns the peer's bitfield / have all / haves into piece availability once the piece count is known.</summary>
    private void ApplyAvailability()
    {
        // Called after every batch of messages: only new bitfield / have all / early haves change anything.
        if (_availabilityCounted && !_availabilityDirty) return;
        if (!_download.IsReady || _download.Picker is not { } picker || _download.Torrent is not { } torrent) return;
        _availabilityDirty = false;
        var count = torrent.PieceCount;
        if (_peerHas is null)
        {
            _peerHas = new bool[count];
        }
        else if (_availabilityCounted)
        {
            picker.AddAvailability(_peerHas, -1);
        }
        if (_haveAll) Array.Fill(_peerHas, true);
        if (_rawBitfield is { } bits)
        {
            if (bits.Length != BitfieldMessage.ByteLength(count))
            {
                throw new WireProtocolException(WireProtocolErrorReason.InvalidMessageLength,
                    $"Bitfield of {bits.Length} bytes for {count} pieces.", 0);
            }
            for (var i = 0; i < count; i++) _peerHas[i] |= (bits[i / 8] & (0x80 >> (i % 8))) != 0;
            _rawBitfield = null;
        }
        if (_earlyHaves is not null)
        {
            foreach (var piece in _earlyHaves.Where(p => p >= 0 && p < count)) _peerHas[piece] = true;
            _earlyHaves = null;
        }
        picker.AddAvailability(_peerHas, +1);
        _availabilityCounted = true;
    }
}
