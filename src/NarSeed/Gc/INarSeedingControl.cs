using NarSeed.Catalog;

namespace NarSeed.Gc;

/// <summary>
/// The seam between garbage collection and seeding: the seeding service implements it and is told, right after each
/// GC pass commits, which nars left every root's closure (stop seeding them now) and which came back (seed again).
/// Deleted nars were always retired first, so they need no call of their own. Until seeding exists no implementation
/// is registered, and the GC tells no one. A <c>narseed gc</c> run in another process changes states in the catalog
/// without reaching this seam, so the seeding service must also reconcile with the catalog's ready nars now and then.
/// </summary>
public interface INarSeedingControl
{
    Task StopSeedingAsync(IReadOnlyList<CatalogNar> nars, CancellationToken cancellationToken);

    Task ResumeSeedingAsync(IReadOnlyList<CatalogNar> nars, CancellationToken cancellationToken);
}
