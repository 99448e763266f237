namespace NarSeed.Catalog;

/// <summary>What start-up recovery removed.</summary>
public sealed record RecoveryReport(
    int TemporaryFilesDeleted, int PendingRowsDeleted, int RowsWithoutFileDeleted, int OrphanFilesDeleted)
{
    public bool NothingToRepair =>
        TemporaryFilesDeleted == 0 && PendingRowsDeleted == 0 && RowsWithoutFileDeleted == 0 && OrphanFilesDeleted == 0;
}
