using System.Net;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Pex;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

internal sealed partial class PeerConnection
{
    /// <summary>Our BEP 10 id for ut_pex (libtorrent uses 1 too).</summary>
    internal const byte UtPexId = 1;

    private byte _peerUtPexId;
    private int _peerListenPort;
    private PexState? _pexState;
    private byte[]? _pendingPex;

    /// <summary>Where the peer accepts connections (its address and BEP 10 <c>p</c>); null if it did not say.</summary>
    public IPEndPoint? ListenEndPoint
    {
        get
        {
            var port = Volatile.Read(ref _peerListenPort);
            if (port <= 0) return null;
            var address = Remote.Address.IsIPv4MappedToIPv6 ? Remote.Address.MapToIPv4() : Remote.Address;
            return new IPEndPoint(address, port);
        }
    }

    /// <summary>True once the peer said it understands ut_pex and we offer it.</summary>
    public bool SupportsPex => _peerUtPexId != 0 && _engine.PexEnabled;

    /// <summary>
    /// Heartbeat thread only: builds the next ut_pex message from the torrent's connected peers (within BEP 11's
    /// limits, see <see cref="PexState"/>) and hands it to the connection's task.
    /// </summary>
    public void OfferPex(IReadOnlyCollection<PexPeer> connected)
    {
        if (!SupportsPex) return;
        _pexState ??= new PexState(_engine.Time);
        if (_pexState.Next(connected, ListenEndPoint) is not { } message) return;
        Volatile.Write(ref _pendingPex, message.Encode());
        Wake();
    }

    /// <summary>Connection task: sends a ut_pex message the heartbeat prepared.</summary>
    private void WritePendingPex()
    {
        if (Interlocked.Exchange(ref _pendingPex, null) is not { } payload || _peerUtPexId == 0) return;
        ExtendedMessage.Write(_output, _peerUtPexId, payload);
        _engine.CountPexSent();
    }

    /// <summary>A peer's ut_pex message: its added peers go to discovery (for a downloader to dial).</summary>
    private void OnPexMessage(ReadOnlySpan<byte> payload, long offset)
    {
        if (!_engine.PexEnabled) return;
        PexMessage message;
        try
        {
            message = PexMessage.Parse(payload.ToArray());
        }
        catch (PexFormatException e)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidExtensionMessage, $"Bad ut_pex message: {e.Message}", offset);
        }
        _engine.CountPexReceived();
        if (_engine.Discovery is not { } discovery) return;
        var key = TorrentOrThrow.SwarmHash.AsSpan();
        foreach (var peer in message.Added) discovery.Report(key, peer.EndPoint, PeerSource.Pex);
    }
}
