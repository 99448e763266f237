using System.Buffers;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

internal sealed partial class DownloadPeer
{
    /// <summary>Our BEP 10 id for ut_metadata: peers send metadata data and rejects to it.</summary>
    private const byte UtMetadataId = 2;

    private const int MetadataRequest = MetadataMessageHeader.Request;
    private const int MetadataData = MetadataMessageHeader.Data;
    private const int MetadataReject = MetadataMessageHeader.Reject;

    private byte _peerUtMetadataId;
    private long _peerMetadataSize;
    private bool _metadataRejected;
    private bool _hashesRejected;
    private readonly List<int> _metadataRequests = [];
    private readonly List<HashRequestMessage> _hashRequests = [];

    private void WriteExtensionHandshake()
    {
        var dictionary = BencodeWriter.Encode(w =>
        {
            w.WriteStartDictionary();
            w.WriteKey("m");
            w.WriteStartDictionary();
            w.WriteKey("ut_metadata");
            w.WriteInteger(UtMetadataId);
            WritePexHandshakeEntry(w);
            w.WriteEndDictionary();
            if (_download.Torrent is { } torrent)
            {
                w.WriteKey("metadata_size");
                w.WriteInteger(torrent.RawInfo.Length);
            }
            WriteListenPortEntry(w);
            w.WriteKey("reqq");
            w.WriteInteger(WireLimits.MaxRequestQueue);
            w.WriteKey("v");
            w.WriteString(Options.ClientName);
            w.WriteEndDictionary();
        });
        ExtendedMessage.Write(_output!, ExtendedMessage.HandshakeId, dictionary);
    }

    /// <summary>Before the torrent is ready: fetch the info dict (BEP 9), then the piece layer (BEP 52).</summary>
    private void RequestMetadataAndHashes()
    {
        if (_download.Torrent is null)
        {
            if (_download.Metadata is not { } metadata || _peerUtMetadataId == 0 || _metadataRejected) return;
            if (!metadata.TrySetSize(_peerMetadataSize)) return;
            while (_metadataRequests.Count < DownloadOptions.MaxMetadataRequestsPerPeer && metadata.NextPiece() is var piece and >= 0)
            {
                if (_metadataRequests.Contains(piece)) break;
                _metadataRequests.Add(piece);
                var body = BencodeWriter.Encode(w =>
                {
                    w.WriteStartDictionary();
                    w.WriteKey("msg_type");
                    w.WriteInteger(MetadataRequest);
                    w.WriteKey("piece");
                    w.WriteInteger(piece);
                    w.WriteEndDictionary();
                });
                ExtendedMessage.Write(_output!, _peerUtMetadataId, body);
            }
            return;
        }
        // Hash requests need a v2 connection (the v2 hash in the handshake, which is what we send when we know it).
        if (_download.Layer is not { IsComplete: false } layer || _hashesRejected) return;
        while (_hashRequests.Count < DownloadOptions.MaxHashRequestsPerPeer && layer.NextRequest() is { } request)
        {
            if (_hashRequests.Any(r => r.Index == request.Index))
            {
                layer.Release(request);
                break;
            }
            _hashRequests.Add(request);
            request.Write(_output!);
        }
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
        else OnMetadataMessage(payload);
    }

    private void OnExtensionHandshake(ReadOnlySpan<byte> payload)
    {
        var handshake = ExtensionHandshake.Parse(payload);
        _peerUtMetadataId = handshake.UtMetadataId;
        OnPeerPexId(handshake.UtPexId);
        if (handshake.MetadataSize is { } size) _peerMetadataSize = size;
        if (handshake.RequestQueueLength is { } reqq) _peerQueueLimit = reqq;
    }

    private void OnMetadataMessage(ReadOnlySpan<byte> payload)
    {
        var (msgType, piece, totalSize, headerLength) = MetadataMessageHeader.Parse(payload);
        var chunk = payload[headerLength..];
        switch (msgType)
        {
            case MetadataRequest when _peerUtMetadataId != 0:
                // We serve no metadata while downloading.
                var reject = BencodeWriter.Encode(w =>
                {
                    w.WriteStartDictionary();
                    w.WriteKey("msg_type");
                    w.WriteInteger(MetadataReject);
                    w.WriteKey("piece");
                    w.WriteInteger(piece);
                    w.WriteEndDictionary();
                });
                ExtendedMessage.Write(_output!, _peerUtMetadataId, reject);
                break;
            case MetadataData when _metadataRequests.Remove((int)piece) && _download.Metadata is { } metadata:
                var failures = metadata.Failures;
                if (metadata.Add((int)piece, totalSize, chunk) is { } info) _download.OnMetadata(info);
                else if (metadata.Failures > failures) DownloadLog.MetadataMismatch(_download.Log);
                break;
            case MetadataReject when _metadataRequests.Remove((int)piece):
                _metadataRejected = true;
                _download.Metadata?.Release((int)piece);
                break;
        }
    }

    private void OnHashes(HashesMessage message)
    {
        var index = _hashRequests.FindIndex(r => r.Index == message.Request.Index && r.BaseLayer == message.Request.BaseLayer);
        if (index < 0 || _download.Layer is not { } layer) return;
        _hashRequests.RemoveAt(index);
        var hashes = message.Hashes.ToArray();
        if (!layer.Accept(message.Request, hashes))
        {
            _download.Ban(Remote, "hashes that do not prove against the pieces root");
            throw new PeerBannedException("sent hashes that failed verification");
        }
        if (layer.IsComplete) _download.OnPieceLayer();
    }

    private void OnHashReject(HashRequestMessage reject)
    {
        var index = _hashRequests.FindIndex(r => r.Index == reject.Index && r.BaseLayer == reject.BaseLayer);
        if (index < 0) return;
        _download.Layer?.Release(_hashRequests[index]);
        _hashRequests.RemoveAt(index);
        _hashesRejected = true;
    }

    private void ReleaseMetadataAndHashRequests()
    {
        foreach (var piece in _metadataRequests) _download.Metadata?.Release(piece);
        _metadataRequests.Clear();
        foreach (var request in _hashRequests) _download.Layer?.Release(request);
        _hashRequests.Clear();
    }
}
