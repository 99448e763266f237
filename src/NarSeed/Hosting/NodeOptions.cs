using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using NarSeed.Gc;

namespace NarSeed.Hosting;

/// <summary>
/// Everything a node is configured with, bound from (lowest first) the built-in defaults, <c>appsettings.json</c>,
/// <c>/etc/nar-seed/config.json</c> (or <c>--config</c>), <c>NARSEED__*</c> environment variables and flags. Key
/// names are the property names (<c>Gc:Grace</c>, in the environment <c>NARSEED__GC__GRACE</c>).
/// </summary>
public sealed class NodeOptions
{
    /// <summary>The Nix project's binary cache.</summary>
    public const string DefaultOrigin = "https://cache.nixos.org";

    /// <summary>cache.nixos.org's public key, as in Nix's default trusted-public-keys.</summary>
    public const string DefaultOriginKey = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

    /// <summary>Loopback only: a volunteer opens the node to the network on purpose.</summary>
    public const string DefaultHttp = "127.0.0.1:8080";

    /// <summary>State directory relative to the working directory when systemd gives none ($STATE_DIRECTORY).</summary>
    public const string DefaultStateDirectory = "state";

    /// <summary>cache.nixos.org's own Priority: the node stands in for it, so it ranks the same.</summary>
    public const int DefaultPriority = 40;

    /// <summary>Directory of the catalog and the nar files (<c>--state</c>).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "State (--state) must name a directory.")]
    public string State { get; set; } = "";

    /// <summary>Caches to mirror from (<c>--origin</c>, repeatable); cache.nixos.org when none is given.</summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>Nix or Guix (<c>--dialect</c>).</summary>
    public StoreDialect Dialect { get; set; } = StoreDialect.Nix;

    /// <summary>Keys whose signatures the node accepts (<c>--trusted-key</c>, repeatable): <c>name:base64</c> for Nix,
    /// a public key file for Guix. cache.nixos.org's key when the origin is the default one.</summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>Store paths, or files listing store paths one per line, whose closures the node keeps
    /// (<c>--root</c>, repeatable).</summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>HTTP listen address, <c>ADDRESS:PORT</c> (<c>--http</c>); IPv6 as <c>[::1]:8080</c>.</summary>
    public string Http { get; set; } = DefaultHttp;

    /// <summary>The Priority advertised in /nix-cache-info (lower is preferred by Nix).</summary>
    [Range(0, 1000)]
    public int Priority { get; set; } = DefaultPriority;

    /// <summary>A Nix secret key file; when set the node adds its own Sig to every narinfo (<c>--signing-key</c>).</summary>
    public string? SigningKey { get; set; }

    [ValidateObjectMembers]
    public BitTorrentOptions BitTorrent { get; set; } = new();

    [ValidateObjectMembers]
    public GcOptions Gc { get; set; } = new();

    /// <summary>The store directory of the dialect.</summary>
    public string StoreDirectory => Dialect == StoreDialect.Guix ? "/gnu/store" : "/nix/store";
}
