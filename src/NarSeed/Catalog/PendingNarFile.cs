namespace NarSeed.Catalog;

/// <summary>
/// A nar being written. Write to <see cref="Stream"/>, verify, then <see cref="CommitAsync"/>: flush to disk, rename
/// into place, fsync the directory. Disposing without committing deletes the temporary file.
/// </summary>
public sealed class PendingNarFile : IAsyncDisposable
{
    private readonly NarStore _store;
    private readonly string _finalPath;
    private bool _committed;

    internal PendingNarFile(NarStore store, FileStream stream, string temporaryPath, string finalPath, string fileName)
    {
        _store = store;
        Stream = stream;
        TemporaryPath = temporaryPath;
        _finalPath = finalPath;
        FileName = fileName;
    }

    public FileStream Stream { get; }

    public string TemporaryPath { get; }

    /// <summary>The file name the nar will have in the nar directory (what the catalog records).</summary>
    public string FileName { get; }

    /// <summary>Makes the file final and durable; returns its file name for the catalog.</summary>
    public async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        if (_committed)
        {
            throw new InvalidOperationException("The nar file is already committed.");
        }
        await Stream.FlushAsync(cancellationToken);
        Stream.Flush(flushToDisk: true);
        await Stream.DisposeAsync();
        File.Move(TemporaryPath, _finalPath, overwrite: true);
        NarStore.SyncDirectory(_store.Directory);
        _committed = true;
        return FileName;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }
}
