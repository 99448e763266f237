using System.Net;

namespace NarSeed.BitTorrent.Pex;

/// <summary>A peer in a ut_pex <c>added</c> list: its listen endpoint and flags.</summary>
public readonly record struct PexPeer(IPEndPoint EndPoint, PexFlags Flags);
