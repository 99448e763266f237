namespace NarSeed.Catalog;

/// <summary>
/// Start-up repair after a crash (kill -9, power loss): makes the nar directory and the catalog agree before anything
/// is seeded or served. Runs before the node starts its services.
/// </summary>
public static class CatalogRecovery
{
    public static async Task<RecoveryReport> RecoverAsync(
        NarCatalog catalog, NarStore store, CancellationToken cancellationToken)
    {
        // 1. Half-written files: a download or copy that never reached its rename.
        var temporaryFiles = store.DeleteTemporaryFiles();

        // 2. Rows of work in progress: they describe nothing final.
        var pendingRows = await catalog.DeletePendingNarsAsync(cancellationToken);

        // 3. Rows whose file is gone (a rename lost to power failure, a file deleted by hand): forget the nar, keep the
        //    store path so the mirror fetches it again.
        var onDisk = store.ListFiles().ToHashSet(StringComparer.Ordinal);
        var recorded = await catalog.ListNarFilesAsync(cancellationToken);
        var missing = recorded.Where(n => !onDisk.Contains(n.LocalPath)).Select(n => n.NarId).ToList();
        var missingRows = missing.Count == 0 ? 0 : await catalog.DeleteNarRowsAsync(missing, cancellationToken);

        // 4. Files no row names: renamed into place, then the process died before the catalog recorded them.
        var known = recorded.Select(n => n.LocalPath).ToHashSet(StringComparer.Ordinal);
        var orphans = 0;
        foreach (var file in onDisk.Where(f => !known.Contains(f)))
        {
            store.Delete(file);
            orphans++;
        }
        return new RecoveryReport(temporaryFiles, pendingRows, missingRows, orphans);
    }
}
