using NarSeed.BitTorrent.Metainfo;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Proxy;

/// <summary>
/// A narinfo the proxy accepted (signature checked, Nix or Guix): where its nar can come from (the magnet, the
/// upstream's nar URL), what the compressed file must match, and the narinfo text served to the client, whose URL
/// points back at the proxy.
/// </summary>
public sealed record ProxiedNar(
    string HashPart,
    long? FileSize,
    NixHash? FileHash,
    byte[] Served,
    string NarFileName,
    MagnetLink? Magnet,
    Uri OriginNar,
    SubstituterClient Client);
