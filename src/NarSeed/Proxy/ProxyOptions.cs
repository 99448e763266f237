using NarSeed.Hosting;

namespace NarSeed.Proxy;

/// <summary>
/// Everything <c>narseed proxy</c> is configured with, bound from the section <c>Proxy</c> of the same layers as the
/// node (defaults, appsettings.json, the config file, <c>NARSEED__PROXY__*</c> environment variables, flags).
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Loopback only, next to the node's 8080: a local substituter for this machine's Nix.</summary>
    public const string DefaultListen = "127.0.0.1:8081";

    /// <summary>State directory (fetched-nar cache, partial downloads) relative to the working directory.</summary>
    public const string DefaultStateDirectory = "proxy-state";

    /// <summary>Fetched nars kept at most (1 GiB): a working set of a few closures.</summary>
    public const long DefaultCacheSize = 1L << 30;

    /// <summary>
    /// All upstreams together must answer a narinfo within this (the issue: a miss is a 404 within a second; Nix treats a 5xx or a hang
    /// as a failed build with the default fallback = false, substitutes.md §1.1). A quarter second below the bound is
    /// left for the proxy itself on a loaded machine (900 ms left 100 ms, and a hanging upstream's miss came close).
    /// </summary>
    public static readonly TimeSpan DefaultNarInfoTimeout = TimeSpan.FromMilliseconds(750);

    /// <summary>The swarm must hand over the first verified piece within this, or the origin carries the nar.</summary>
    public static readonly TimeSpan DefaultSwarmDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Web seeds (ws=) join when no peer delivered a piece within this (shorter than the swarm deadline).</summary>
    public static readonly TimeSpan DefaultWebSeedDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An upstream's nar URL must deliver a first byte within this, or Nix gets a 404 and moves on to its next
    /// substituter. Without it a hanging origin would hold Nix for the client's retries (minutes); once bytes flow,
    /// the client's stall timeout and Range resumes apply.
    /// </summary>
    public static readonly TimeSpan DefaultOriginFirstByteTimeout = TimeSpan.FromSeconds(15);

    /// <summary>HTTP listen address, <c>ADDRESS:PORT</c> (<c>--listen</c>).</summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>NarSeed nodes and/or origin caches asked for narinfos in parallel (<c>--upstream</c>, repeatable).</summary>
    public List<string> Upstreams { get; set; } = [];

    /// <summary><c>nix</c> or <c>guix</c> (<c>--dialect</c>): narinfo format, signatures, store directory.</summary>
    public StoreDialect Dialect { get; set; } = StoreDialect.Nix;

    /// <summary>Keys whose signatures make a narinfo acceptable (<c>--trusted-key</c>, repeatable; <c>name:base64</c>).</summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>Directory of the fetched-nar cache and partial downloads (<c>--state</c>).</summary>
    public string State { get; set; } = DefaultStateDirectory;

    /// <summary>Most bytes of fetched nars kept (LRU); 0 keeps none (<c>--cache-size</c>).</summary>
    public long CacheSize { get; set; } = DefaultCacheSize;

    /// <summary>
    /// How long a nar fetched from the swarm is seeded afterwards; zero (the default) is off (<c>--seed-after-fetch</c>).
    /// While it is fetched and seeded it is announced to the trackers (<see cref="Trackers"/> and the magnet's
    /// <c>tr=</c>) and by LSD when those are on; stopped when seeding ends.
    /// </summary>
    public TimeSpan SeedAfterFetch { get; set; } = TimeSpan.Zero;

    /// <summary>BitTorrent listen port while seeding fetched nars; 0 lets the system choose (<c>--bt-port</c>).</summary>
    public int BtPort { get; set; }

    /// <summary>Peers dialled for every nar besides the magnet's x.pe, e.g. a LAN seeder (<c>--peer</c>, repeatable).</summary>
    public List<string> Peers { get; set; } = [];

    /// <summary>Trackers announced to for every nar besides the magnet's <c>tr=</c> (<c>--tracker</c>, repeatable).</summary>
    public List<string> Trackers { get; set; } = [];

    /// <summary>Local service discovery (BEP 14) while fetching and seeding fetched nars; <c>--no-lsd</c> turns it off.</summary>
    public bool Lsd { get; set; } = true;

    /// <summary>Peer exchange (BEP 11) on download connections; <c>--no-pex</c> turns it off.</summary>
    public bool Pex { get; set; } = true;

    public TimeSpan NarInfoTimeout { get; set; } = DefaultNarInfoTimeout;

    public TimeSpan SwarmDeadline { get; set; } = DefaultSwarmDeadline;

    public TimeSpan WebSeedDelay { get; set; } = DefaultWebSeedDelay;

    public TimeSpan OriginFirstByteTimeout { get; set; } = DefaultOriginFirstByteTimeout;

    /// <summary>The store directory of the dialect.</summary>
    public string StoreDirectory => Dialect == StoreDialect.Guix ? "/gnu/store" : "/nix/store";
}
