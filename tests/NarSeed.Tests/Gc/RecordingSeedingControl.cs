using NarSeed.Catalog;
using NarSeed.Gc;

namespace NarSeed.Tests.Gc;

/// <summary>Stands where the seeding service will: records what the GC told it, in order.</summary>
internal sealed class RecordingSeedingControl : INarSeedingControl
{
    public List<(string Call, string[] HashParts)> Calls { get; } = [];

    public Task StopSeedingAsync(IReadOnlyList<CatalogNar> nars, CancellationToken cancellationToken)
    {
        lock (Calls) Calls.Add(("stop", nars.Select(n => n.HashPart).ToArray()));
        return Task.CompletedTask;
    }

    public Task ResumeSeedingAsync(IReadOnlyList<CatalogNar> nars, CancellationToken cancellationToken)
    {
        lock (Calls) Calls.Add(("resume", nars.Select(n => n.HashPart).ToArray()));
        return Task.CompletedTask;
    }
}
