namespace NarSeed.TestSupport;

/// <summary>
/// A fresh directory for one test, deleted afterwards. Nix makes store directories read-only, so deletion first
/// restores the owner's write bit everywhere.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "narseed-test-") =>
        Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                if (entry.LinkTarget is null && OperatingSystem.IsLinux())
                {
                    entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserRead | UnixFileMode.UserExecute;
                }
            }
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test that passed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
