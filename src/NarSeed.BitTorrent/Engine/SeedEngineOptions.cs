using System.Net;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

/// <summary>Settings of one <see cref="SeedEngine"/>: where it listens, how many peers it serves, how fast.</summary>
public sealed class SeedEngineOptions
{
    /// <summary>libtorrent's <c>unchoke_slots_limit</c> default: 8 regular upload slots (plus one optimistic).</summary>
    public const int DefaultUploadSlots = 8;

    /// <summary>libtorrent's <c>connections_limit</c> default (200).</summary>
    public const int DefaultMaxConnections = 200;

    /// <summary>Per torrent; libtorrent's <c>max_peerlist_size</c> is larger but its per-torrent default is 50… we allow 100.</summary>
    public const int DefaultMaxConnectionsPerTorrent = 100;

    /// <summary>Files kept open at once for positioned reads, shared by all peers and torrents.</summary>
    public const int DefaultMaxOpenFiles = 64;

    /// <summary>TCP port; 0 picks a free one (see <see cref="SeedEngine.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>Addresses to listen on; by default IPv6 any with dual mode (IPv4 too), or IPv4 any where IPv6 is off.</summary>
    public IReadOnlyList<IPAddress> ListenAddresses { get; set; } = [IPAddress.IPv6Any];

    /// <summary>Bytes per second shared by every upload of every torrent; 0 = unlimited.</summary>
    public long UploadRateLimit { get; set; }

    public int UploadSlots { get; set; } = DefaultUploadSlots;

    public int MaxConnections { get; set; } = DefaultMaxConnections;

    public int MaxConnectionsPerTorrent { get; set; } = DefaultMaxConnectionsPerTorrent;

    public int MaxOpenFiles { get; set; } = DefaultMaxOpenFiles;

    public TimeSpan HandshakeTimeout { get; set; } = WireLimits.DefaultHandshakeTimeout;

    public TimeSpan PeerTimeout { get; set; } = WireLimits.DefaultPeerTimeout;

    public TimeSpan KeepAliveInterval { get; set; } = WireLimits.DefaultKeepAliveInterval;

    public TimeSpan InactivityTimeout { get; set; } = WireLimits.DefaultInactivityTimeout;

    /// <summary>How often the one heartbeat checks every connection's deadlines.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the choker rotates upload slots (libtorrent <c>unchoke_interval</c>: 15 s; BEP 3 suggests 10 s).</summary>
    public TimeSpan RechokeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The optimistic slot moves every this many rechokes (BEP 3: every 30 s).</summary>
    public int OptimisticRotation { get; set; } = 3;

    /// <summary>Client name sent as BEP 10 <c>v</c>.</summary>
    public string ClientName { get; set; } = "NarSeed 0.1";

    /// <summary>Our peer id; by default Azureus-style <c>-NS0100-</c> and 12 random bytes.</summary>
    public byte[]? PeerId { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegative(UploadRateLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(UploadSlots);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnections);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnectionsPerTorrent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOpenFiles);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PeerTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RechokeInterval, TimeSpan.Zero);
        if (ListenAddresses.Count == 0) throw new ArgumentException("At least one listen address is needed.");
        if (PeerId is { Length: not Handshake.PeerIdLength }) throw new ArgumentException("A peer id has 20 bytes.");
    }
}
