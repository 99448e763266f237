namespace NarSeed.BitTorrent.Wire;

/// <summary>Why a peer was found to break the wire protocol; each reason closes only that peer.</summary>
public enum WireProtocolErrorReason
{
    /// <summary>The first bytes are not <c>0x13 "BitTorrent protocol"</c> (often an encrypted MSE handshake).</summary>
    NotBitTorrentHandshake,

    /// <summary>The info-hash in the handshake names no torrent we serve.</summary>
    UnknownInfoHash,

    /// <summary>A length prefix above <see cref="WireLimits.MaxMessageLength"/>.</summary>
    MessageTooLarge,

    /// <summary>A message whose length does not fit its id (e.g. a <c>have</c> of 6 bytes).</summary>
    InvalidMessageLength,

    /// <summary>A message that needs a feature the handshake did not negotiate (fast extension, v2, BEP 10).</summary>
    NotNegotiated,

    /// <summary>A request for zero bytes or more than <see cref="WireLimits.MaxRequestLength"/>.</summary>
    RequestTooLong,

    /// <summary>A request outside the piece or the torrent.</summary>
    RequestOutOfRange,

    /// <summary>More than <see cref="WireLimits.MaxRequestQueue"/> outstanding requests.</summary>
    RequestQueueFull,

    /// <summary>A piece message sent to a seeder, or a data message it never asked for.</summary>
    UnexpectedMessage,

    /// <summary>A bencoded extension message that is malformed or too large.</summary>
    InvalidExtensionMessage,

    /// <summary>A hash request whose fields are impossible (not a power of two, unaligned, absurd sizes).</summary>
    InvalidHashRequest,

    /// <summary>No handshake within the handshake timeout.</summary>
    HandshakeTimeout,

    /// <summary>Nothing received within the peer timeout.</summary>
    PeerTimeout,
}
