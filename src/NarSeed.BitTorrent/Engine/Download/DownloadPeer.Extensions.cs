using System.Buffers;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

internal sealed partial class DownloadPeer
{
    /// <summary>Our BEP 10 id for ut_metadata: peers send metadata data and rejects to it.</summary>
    private const byte UtMetadataId = 2;

    private const int MetadataRequest = 0;
    private const int MetadataData = 1;
    private const int MetadataReject = 2;

    private static readonly BencodeLimits ExtensionLimits = new()
    {
        MaxDepth = 8, MaxItems = 1024, MaxStringLength = WireLimits.MaxExtensionDictionaryLength,
        MaxTotalLength = WireLimits.MaxExtensionDictionaryLength,
    };

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
            w.WriteEndDictionary();
            if (_download.Torrent is { } torrent)
            {
                w.WriteKey("metadata_size");
                w.WriteInteger(torrent.RawInfo.Length);
            }
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
        if (message.Payload.Length > WireLimits.MaxExtensionDictionaryLength + WireLimits.MetadataPieceSize)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidExtensionMessage,
                $"Extension message of {message.Payload.Length} bytes.", offset);
        }
        if (message.ExtendedId is not (ExtendedMessage.HandshakeId or UtMetadataId)) return;
        var rented = ArrayPool<byte>.Shared.Rent((int)message.Payload.Length);
        try
        {
            var payload = rented.AsSpan(0, (int)message.Payload.Length);
            message.Payload.CopyTo(payload);
            if (message.ExtendedId == ExtendedMessage.HandshakeId) OnExtensionHandshake(payload);
            else OnMetadataMessage(payload);
        }
        catch (BencodeException e)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidExtensionMessage,
                $"Malformed extension message: {e.Message}", offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void OnExtensionHandshake(ReadOnlySpan<byte> payload)
    {
        var reader = new BencodeReader(payload, ExtensionLimits);
        reader.ReadStartDictionary();
        while (!reader.TryReadEndDictionary())
        {
            var key = reader.ReadString();
            if (key.SequenceEqual("m"u8) && reader.PeekToken() == BencodeTokenType.StartDictionary)
            {
                reader.ReadStartDictionary();
                while (!reader.TryReadEndDictionary())
                {
                    var name = reader.ReadString();
                    if (name.SequenceEqual("ut_metadata"u8) && reader.PeekToken() == BencodeTokenType.Integer)
                    {
                        var id = reader.ReadInteger();
                        _peerUtMetadataId = id is > 0 and <= 255 ? (byte)id : (byte)0;
                    }
                    else
                    {
                        reader.SkipValue();
                    }
                }
            }
            else if (key.SequenceEqual("metadata_size"u8) && reader.PeekToken() == BencodeTokenType.Integer)
            {
                _peerMetadataSize = reader.ReadInteger();
            }
            else if (key.SequenceEqual("reqq"u8) && reader.PeekToken() == BencodeTokenType.Integer)
            {
                var reqq = reader.ReadInteger();
                if (reqq > 0) _peerQueueLimit = (int)Math.Min(reqq, int.MaxValue);
            }
            else
            {
                reader.SkipValue();
            }
        }
    }

    private void OnMetadataMessage(ReadOnlySpan<byte> payload)
    {
        long msgType = -1, piece = -1, totalSize = -1;
        var reader = new BencodeReader(payload, ExtensionLimits);
        reader.ReadStartDictionary();
        while (!reader.TryReadEndDictionary())
        {
            var key = reader.ReadString();
            if (key.SequenceEqual("msg_type"u8) && reader.PeekToken() == BencodeTokenType.Integer) msgType = reader.ReadInteger();
            else if (key.SequenceEqual("piece"u8) && reader.PeekToken() == BencodeTokenType.Integer) piece = reader.ReadInteger();
            else if (key.SequenceEqual("total_size"u8) && reader.PeekToken() == BencodeTokenType.Integer) totalSize = reader.ReadInteger();
            else reader.SkipValue();
        }
        var chunk = payload[reader.BytesConsumed..];
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
