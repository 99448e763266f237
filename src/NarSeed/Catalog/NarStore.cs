using System.Runtime.InteropServices;

namespace NarSeed.Catalog;

/// <summary>
/// The nar files in the state directory. A nar is written under a temporary name in <c>nars/.partial/</c>, fsynced,
/// and renamed into <c>nars/</c>; only then may the catalog record it, so a crash at any point leaves either a
/// temporary file (deleted at the next start) or a complete file. Nothing half-written is ever seeded or served.
/// </summary>
public sealed class NarStore
{
    public const string DirectoryName = "nars";

    /// <summary>Where files being written live; everything in it is garbage after a restart.</summary>
    public const string TemporaryDirectoryName = ".partial";

    /// <summary>Longest file name accepted (Linux NAME_MAX is 255 bytes; nar names are ~60 ASCII characters).</summary>
    public const int MaxFileNameLength = 200;

    public NarStore(string stateDirectory)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetFullPath(stateDirectory), DirectoryName);
        TemporaryDirectory = System.IO.Path.Combine(Directory, TemporaryDirectoryName);
        System.IO.Directory.CreateDirectory(TemporaryDirectory);
    }

    public string Directory { get; }

    public string TemporaryDirectory { get; }

    /// <summary>The absolute path of a stored nar file.</summary>
    public string GetPath(string fileName)
    {
        ValidateFileName(fileName);
        return System.IO.Path.Combine(Directory, fileName);
    }

    /// <summary>Starts writing a nar that will be called <paramref name="fileName"/> once committed.</summary>
    public PendingNarFile CreatePending(string fileName)
    {
        var finalPath = GetPath(fileName);
        var temporaryPath = System.IO.Path.Combine(TemporaryDirectory,
            $"{fileName}.{Guid.NewGuid():N}.partial");
        var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read,
            bufferSize: 1 << 16, FileOptions.Asynchronous);
        return new PendingNarFile(this, stream, temporaryPath, finalPath, fileName);
    }

    /// <summary>Deletes a stored nar file; false when it was not there.</summary>
    public bool Delete(string fileName)
    {
        var path = GetPath(fileName);
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    /// <summary>File names of every stored (committed) nar.</summary>
    public IReadOnlyList<string> ListFiles() =>
        new DirectoryInfo(Directory).EnumerateFiles().Select(f => f.Name).ToList();

    /// <summary>Deletes every temporary file (start-up recovery); returns how many there were.</summary>
    public int DeleteTemporaryFiles()
    {
        var count = 0;
        foreach (var file in new DirectoryInfo(TemporaryDirectory).EnumerateFiles())
        {
            file.Delete();
            count++;
        }
        return count;
    }

    /// <summary>Throws unless <paramref name="fileName"/> is one plain file name (no directories, no dot files).</summary>
    public static void ValidateFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (fileName.Length > MaxFileNameLength || fileName[0] == '.' ||
            fileName.AsSpan().IndexOfAnyExcept(SafeFileNameCharacters) >= 0)
        {
            throw new ArgumentException($"'{fileName}' is not a valid nar file name.", nameof(fileName));
        }
    }

    private static readonly System.Buffers.SearchValues<char> SafeFileNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+");

    /// <summary>Makes a rename in <paramref name="directory"/> durable (fsync of the directory itself).</summary>
    internal static void SyncDirectory(string directory)
    {
        // O_RDONLY | O_DIRECTORY (Linux: 0x10000). A failure only weakens durability against power loss, and start-up
        // recovery repairs a catalog row whose file vanished, so it is not an error.
        var fd = Open(directory, 0x10000);
        if (fd < 0)
        {
            return;
        }
        _ = Fsync(fd);
        _ = Close(fd);
    }

    // DllImport rather than LibraryImport: three blittable libc calls do not justify unsafe code in the app.
    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
