namespace NarSeed.BitTorrent.Discovery;

/// <summary>Where a peer's address came from.</summary>
public enum PeerSource
{
    /// <summary>An HTTP or UDP tracker's announce reply.</summary>
    Tracker,

    /// <summary>BEP 14 local service discovery.</summary>
    Lsd,

    /// <summary>BEP 11 peer exchange from a connected peer.</summary>
    Pex,

    /// <summary>The BEP 5 DHT (a later issue).</summary>
    Dht,

    /// <summary>Given by the user or a magnet's <c>x.pe</c>.</summary>
    Manual,
}
