namespace NarSeed.TestSupport;

/// <summary>
/// Finds the real programs the tests run against. A missing tool fails the test with a message that says how to get
/// it; it never skips, because a skipped interop test proves nothing.
/// </summary>
public static class ExternalTool
{
    /// <summary>Debian's python, the only one that can import python3-libtorrent and python3-prometheus-client.</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>Returns the absolute path of <paramref name="name"/> (a file name on PATH, or an absolute path).</summary>
    public static string Require(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : throw Missing(name);
        }
        var searchPath = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw Missing(name);
    }

    private static InvalidOperationException Missing(string name) =>
        new($"Required test tool '{name}' was not found. Run ./test.sh, which installs the missing Debian packages " +
            "(scripts/install-deps.sh).");
}
