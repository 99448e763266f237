namespace NarSeed.Bench;

/// <summary>A scratch directory under tmpfs (when there is one), deleted afterwards; helpers for big random files.</summary>
internal sealed class BenchDirectory : IDisposable
{
    public BenchDirectory(string name)
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = Directory.CreateDirectory(System.IO.Path.Combine(root, $"narseed-bench-{name}-{Environment.ProcessId}")).FullName;
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>An empty directory (deleted and re-created).</summary>
    public string Fresh(string name)
    {
        var path = Combine(name);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        return Directory.CreateDirectory(path).FullName;
    }

    public static void WriteRandomFile(string path, long length)
    {
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long left = length; left > 0; left -= buffer.Length)
        {
            Random.Shared.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
