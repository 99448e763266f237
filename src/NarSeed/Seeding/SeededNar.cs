using NarSeed.BitTorrent.Engine;
using NarSeed.Catalog;

namespace NarSeed.Seeding;

/// <summary>A ready nar as the seeding service and the HTTP endpoints see it: catalog rows plus the engine's torrent.</summary>
public sealed record SeededNar(NarFileRecord Nar, TorrentRecord Torrent, SeedTorrent SeedTorrent, string FilePath)
{
    public long NarId => Nar.Id;

    public string HashPart => Nar.HashPart;

    /// <summary>The torrent's name: the nar file's name (also the magnet's dn).</summary>
    public string Name => Nar.LocalPath;
}
