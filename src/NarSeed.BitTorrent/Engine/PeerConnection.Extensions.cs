using System.Buffers;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

internal sealed partial class PeerConnection
{
    /// <summary>Our BEP 10 id for ut_metadata (libtorrent uses 2 too); peers send metadata requests with it.</summary>
    internal const byte UtMetadataId = 2;

    private const int MetadataRequest = MetadataMessageHeader.Request;
    private const int MetadataData = MetadataMessageHeader.Data;
    private const int MetadataReject = MetadataMessageHeader.Reject;

    private byte _peerUtMetadataId;
    private Queue<int>? _metadataRequests;

    private bool HasExtensionWork => _metadataRequests is { Count: > 0 };

    /// <summary>BEP 10 handshake: ut_metadata and metadata_size (libtorrent ignores a peer without it), p, reqq, v.</summary>
    private void WriteExtensionHandshake()
    {
        var torrent = TorrentOrThrow;
        var dictionary = BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary();
            w.WriteKey("m");
            w.WriteStartDictionary();
            w.WriteKey("ut_metadata");
            w.WriteInteger(UtMetadataId);
            if (_engine.PexEnabled)
            {
                w.WriteKey("ut_pex");
                w.WriteInteger(UtPexId);
            }
            w.WriteEndDictionary();
            w.WriteKey("metadata_size");
            w.WriteInteger(torrent.MetadataSize);
            w.WriteKey("p");
            w.WriteInteger(_engine.Port);
            w.WriteKey("reqq");
            w.WriteInteger(WireLimits.MaxRequestQueue);
            w.WriteKey("upload_only");
            w.WriteInteger(1);
            w.WriteKey("v");
            w.WriteString(_engine.Options.ClientName);
            w.WriteEndDictionary();
        });
        ExtendedMessage.Write(_output, ExtendedMessage.HandshakeId, dictionary);
    }

    private void OnExtended(ExtendedMessage message, long offset)
    {
        // Handle bounds the length first, so an oversized message breaks the connection whatever its id.
        message.Handle(offset, this, static (self, id, payload, at) => self.OnExtendedPayload(id, payload, at));
    }

    private void OnExtendedPayload(byte extendedId, ReadOnlySpan<byte> payload, long offset)
    {
        if (extendedId is not (ExtendedMessage.HandshakeId or UtMetadataId or UtPexId)) return;
        if (extendedId == ExtendedMessage.HandshakeId) OnExtensionHandshake(payload);
        else if (extendedId == UtPexId) OnPexMessage(payload, offset);
        else OnMetadataMessage(payload, offset);
    }

    /// <summary>Learns the peer's ut_metadata and ut_pex ids from its <c>m</c> dictionary and its listen port <c>p</c>.</summary>
    private void OnExtensionHandshake(ReadOnlySpan<byte> payload)
    {
        var handshake = ExtensionHandshake.Parse(payload);
        Volatile.Write(ref _peerListenPort, handshake.ListenPort);
        _peerUtMetadataId = handshake.UtMetadataId;
        _peerUtPexId = handshake.UtPexId;
    }

    /// <summary>BEP 9: queue a request for a metadata piece; data and reject messages from a peer are ignored.</summary>
    private void OnMetadataMessage(ReadOnlySpan<byte> payload, long offset)
    {
        var (msgType, piece, _, _) = MetadataMessageHeader.Parse(payload);
        if (msgType != MetadataRequest) return;
        var pieces = (TorrentOrThrow.MetadataSize + WireLimits.MetadataPieceSize - 1) / WireLimits.MetadataPieceSize;
        _metadataRequests ??= new Queue<int>();
        if (_metadataRequests.Count >= WireLimits.MaxMetadataRequestQueue)
        {
            throw new WireProtocolException(WireProtocolErrorReason.RequestQueueFull,
                $"More than {WireLimits.MaxMetadataRequestQueue} metadata requests.", offset);
        }
        // Out-of-range pieces are queued as negative numbers and answered with a reject.
        _metadataRequests.Enqueue(piece >= 0 && piece < pieces ? (int)piece : -1 - (int)Math.Clamp(piece, 0, int.MaxValue - 1));
    }

    private async Task ServeMetadataAsync(CancellationToken cancellationToken)
    {
        var info = await _active!.GetInfoBytesAsync(cancellationToken).ConfigureAwait(false);
        while (_metadataRequests!.TryDequeue(out var piece))
        {
            if (_peerUtMetadataId == 0) continue; // it never told us where to send ut_metadata messages
            var rejected = piece < 0;
            var index = rejected ? -1 - piece : piece;
            var dictionary = BencodeWriter.Encode(w =>
            {
                w.WriteStartDictionary();
                w.WriteKey("msg_type");
                w.WriteInteger(rejected ? MetadataReject : MetadataData);
                w.WriteKey("piece");
                w.WriteInteger(index);
                if (!rejected)
                {
                    w.WriteKey("total_size");
                    w.WriteInteger(info.Length);
                }
                w.WriteEndDictionary();
            });
            var tail = rejected ? ReadOnlySpan<byte>.Empty
                : info.Span.Slice(index * WireLimits.MetadataPieceSize,
                    Math.Min(WireLimits.MetadataPieceSize, info.Length - index * WireLimits.MetadataPieceSize));
            ExtendedMessage.Write(_output, _peerUtMetadataId, dictionary, tail);
            if (rejected) continue;
            _engine.CountMetadataPiece();
            EngineLog.MetadataServed(_log, Remote, TorrentOrThrow, index);
        }
    }
}
