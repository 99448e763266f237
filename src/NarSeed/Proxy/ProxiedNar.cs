using NarSeed.BitTorrent.Metainfo;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.NarInfo;

namespace NarSeed.Proxy;

/// <summary>
/// A narinfo the proxy accepted (signature checked): where its nar can come from (the magnet, the upstream's nar URL)
/// and the narinfo text served to Nix, whose URL points back at the proxy.
/// </summary>
public sealed record ProxiedNar(
    NixNarInfo Upstream,
    byte[] Served,
    string NarFileName,
    MagnetLink? Magnet,
    Uri OriginNar,
    SubstituterClient Client)
{
    public string HashPart => Upstream.StorePath.HashPart;

    /// <summary>Size of the compressed nar when the narinfo gives it (Nix never checks it; the proxy does).</summary>
    public long? FileSize => Upstream.FileSize;
}
