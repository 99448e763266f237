namespace NarSeed.BitTorrent.Wire;

/// <summary>Peer-wire message ids (the byte after the length prefix), grouped by the BEP that defines them.</summary>
public enum MessageId : byte
{
    // BEP 3: the core protocol.
    Choke = 0,
    Unchoke = 1,
    Interested = 2,
    NotInterested = 3,
    Have = 4,
    Bitfield = 5,
    Request = 6,
    Piece = 7,
    Cancel = 8,

    // BEP 5: DHT port.
    Port = 9,

    // BEP 6: fast extension (only valid when both peers set the fast bit).
    SuggestPiece = 13,
    HaveAll = 14,
    HaveNone = 15,
    RejectRequest = 16,
    AllowedFast = 17,

    // BEP 10: extension protocol.
    Extended = 20,

    // BEP 52: hash transfer (only on v2 connections).
    HashRequest = 21,
    Hashes = 22,
    HashReject = 23,
}
