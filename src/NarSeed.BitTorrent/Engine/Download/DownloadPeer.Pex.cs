using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Pex;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>ut_pex (BEP 11) on a download connection: offered when discovery has PEX on; received peers feed discovery.</summary>
internal sealed partial class DownloadPeer
{
    /// <summary>Our BEP 10 id for ut_pex (ut_metadata has 2).</summary>
    private const byte UtPexId = 3;

    private byte _peerUtPexId;
    private PexState? _pexState;
    private byte[]? _pendingPex;

    public bool IsHandshaken => _handshaken;

    /// <summary>True once the peer said it understands ut_pex and our discovery has PEX on.</summary>
    public bool SupportsPex => _peerUtPexId != 0 && PexOffered;

    private bool PexOffered => Options.Discovery is { PexEnabled: true };

    /// <summary>Extension handshake: our ut_pex id inside "m" (written right after ut_metadata: keys are sorted).</summary>
    private void WritePexHandshakeEntry(BencodeWriter writer)
    {
        if (!PexOffered) return;
        writer.WriteKey("ut_pex");
        writer.WriteInteger(UtPexId);
    }

    /// <summary>Extension handshake: our listen port ("p"), when we announce one.</summary>
    private void WriteListenPortEntry(BencodeWriter writer)
    {
        if (Options.ListenPort <= 0) return;
        writer.WriteKey("p");
        writer.WriteInteger(Options.ListenPort);
    }

    /// <summary>The peer's "m" entry for ut_pex.</summary>
    private void OnPeerPexId(long id) => _peerUtPexId = id is > 0 and <= 255 ? (byte)id : (byte)0;

    /// <summary>Heartbeat thread: builds the next ut_pex message (PexState keeps BEP 11's limits) for the task to send.</summary>
    public void OfferPex(IReadOnlyCollection<PexPeer> connected)
    {
        if (!SupportsPex || !_handshaken) return;
        _pexState ??= new PexState(_download.Time);
        if (_pexState.Next(connected, Remote) is not { } message) return;
        Volatile.Write(ref _pendingPex, message.Encode());
        Wake();
    }

    /// <summary>Connection task: sends what <see cref="OfferPex"/> prepared.</summary>
    private void WritePendingPex()
    {
        if (_output is null || _peerUtPexId == 0 || Interlocked.Exchange(ref _pendingPex, null) is not { } payload) return;
        ExtendedMessage.Write(_output, _peerUtPexId, payload);
    }

    /// <summary>A ut_pex message: malformed ones end the connection; added peers go to discovery and are dialled.</summary>
    private void OnPexMessage(ReadOnlySpan<byte> payload, long offset)
    {
        if (!PexOffered) return;
        PexMessage message;
        try
        {
            message = PexMessage.Parse(payload.ToArray());
        }
        catch (PexFormatException e)
        {
            throw new WireProtocolException(WireProtocolErrorReason.InvalidExtensionMessage, $"Bad ut_pex message: {e.Message}", offset);
        }
        _download.OnPexPeers(message);
    }
}
