using NarSeed.BitTorrent.Engine;
using NarSeed.Catalog;

namespace NarSeed.Seeding;

/// <summary>A ready nar as the seeding service and the HTTP endpoints see it: catalog rows plus the engine's torrent.</summary>
public sealed record SeededNar(NarFileRecord Nar, TorrentRecord Torrent, SeedTorrent SeedTorrent, string FilePath)
{
    public long NarId => Nar.Id;

    public string HashPart => Nar.HashPart;

    /// <summary>The torrent's name (also the magnet's dn): the nar's file name on its origin.</summary>
    public string Name => NarWebSeed.For(Nar.OriginUrl, Nar.LocalPath).Name;

    /// <summary>The BEP 19 web seed: the origin's directory of the nar, ending in '/'.</summary>
    public string WebSeed => NarWebSeed.For(Nar.OriginUrl, Nar.LocalPath).WebSeed;
}
