using System.Buffers;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

internal sealed partial class PeerConnection
{
    private ActiveTorrent? _active;
    private readonly byte[] _handshakeHash = new byte[Handshake.HashLength];
    private readonly byte[] _peerId = new byte[Handshake.PeerIdLength];
    private bool _fast;
    private bool _extensions;
    private bool _v2;
    private uint[]? _allowedFast;

    private SeedTorrent TorrentOrThrow => _active?.Torrent ?? throw new InvalidOperationException("No torrent attached.");

    /// <summary>
    /// Reads the peer's handshake, routes it by its 20-byte hash and answers. A handshake that is not BitTorrent
    /// (MSE starts with random bytes) or names no torrent of ours closes the socket at once, without a reply.
    /// </summary>
    private async Task<bool> ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        var routed = false;
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var done = false;
            try
            {
                done = ParseHandshake(buffer, ref routed, out consumed);
            }
            finally
            {
                _input.AdvanceTo(consumed, buffer.End);
            }
            // BEP 3: the responder answers once it knows the torrent; the peer id may come later.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            if (done)
            {
                Volatile.Write(ref _lastReceived, _engine.Time.GetTimestamp());
                _handshaken = true;
                EngineLog.PeerConnected(_log, Remote, TorrentOrThrow, _v2, _fast, _extensions);
                return true;
            }
            if (result.IsCompleted) return false;
        }
    }

    private bool ParseHandshake(ReadOnlySequence<byte> buffer, ref bool routed, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        consumed = buffer.Start;
        if (!routed)
        {
            if (!Handshake.TryReadHeader(ref reader, out var reserved, _handshakeHash)) return false;
            Route(reserved);
            routed = true;
            WriteHandshake();
            consumed = reader.Position;
        }
        if (!Handshake.TryReadPeerId(ref reader, _peerId)) return false;
        consumed = reader.Position;
        return true;
    }

    /// <summary>Picks the torrent and the connection's protocol version (bittorrent.md §5.1).</summary>
    private void Route(ReservedBits reserved)
    {
        var torrent = _engine.Find(_handshakeHash) ?? throw new WireProtocolException(
            WireProtocolErrorReason.UnknownInfoHash, $"No torrent with hash {Convert.ToHexStringLower(_handshakeHash)}.");
        var usedV1 = torrent.InfoHashV1 is { } v1 && v1.AsSpan().SequenceEqual(_handshakeHash);
        // A peer that used a hybrid's v1 hash and set the upgrade bit speaks v2: answer with the truncated v2 hash.
        // A v1-only torrent's connections are always v1 (no hash messages), whatever bits the peer set.
        _v2 = torrent.HasV2 && (!usedV1 || reserved.HasFlag(ReservedBits.V2Upgrade));
        if (usedV1 && _v2) torrent.InfoHashV2!.AsSpan(0, Handshake.HashLength).CopyTo(_handshakeHash);
        _fast = reserved.HasFlag(ReservedBits.Fast);
        _extensions = reserved.HasFlag(ReservedBits.Extension);
        _active = _engine.Attach(this, torrent) ?? throw new ConnectionLimitException();
    }

    private void WriteHandshake()
    {
        var reserved = ReservedBits.Extension | ReservedBits.Fast;
        Handshake.Write(_output, reserved, _handshakeHash, _engine.PeerId);
    }

    /// <summary>What a seeder says first: extension handshake, have all (or a full bitfield), allowed fast set.</summary>
    private void WriteGreeting()
    {
        var torrent = TorrentOrThrow;
        if (_extensions) WriteExtensionHandshake();
        if (_fast)
        {
            StateMessage.Write(_output, MessageId.HaveAll);
            if (Remote.Address.IsIPv4MappedToIPv6 || Remote.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                Span<byte> ip = stackalloc byte[4];
                Remote.Address.MapToIPv4().TryWriteBytes(ip, out _);
                _allowedFast = AllowedFastSet.Generate(ip, _handshakeHash, torrent.PieceCount, AllowedFastSet.DefaultSize);
                foreach (var index in _allowedFast) new PieceIndexMessage(MessageId.AllowedFast, index).Write(_output);
            }
        }
        else
        {
            BitfieldMessage.WriteComplete(_output, torrent.PieceCount);
        }
    }
}
