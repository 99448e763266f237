namespace NarSeed.BitTorrent.Wire;

/// <summary>
/// The 8 reserved handshake bytes read as one big-endian integer (byte 0 is the most significant), so each flag is the
/// spec's "reserved[i] &amp; mask" shifted by 8·(7 − i) (bittorrent.md §5.1).
/// </summary>
[Flags]
public enum ReservedBits : ulong
{
    None = 0,

    /// <summary>BEP 10 extension protocol: reserved[5] &amp; 0x10.</summary>
    Extension = 0x10UL << 16,

    /// <summary>BEP 5 DHT (the peer may send PORT): reserved[7] &amp; 0x01.</summary>
    Dht = 0x01,

    /// <summary>BEP 6 fast extension: reserved[7] &amp; 0x04.</summary>
    Fast = 0x04,

    /// <summary>BEP 52 upgrade: the sender used a hybrid's v1 hash and also speaks v2: reserved[7] &amp; 0x10.</summary>
    V2Upgrade = 0x10,
}
