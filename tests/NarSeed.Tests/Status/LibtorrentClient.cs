using NarSeed.TestSupport;

namespace NarSeed.Tests.Status;

/// <summary>Runs lt_download.py: real libtorrent fetching one torrent from the node's engine on 127.0.0.1.</summary>
internal static class LibtorrentClient
{
    public static async Task<long> DownloadAsync(StatusNar nar, int enginePort, string saveDirectory)
    {
        Directory.CreateDirectory(saveDirectory);
        var script = Path.Combine(AppContext.BaseDirectory, "Status", "lt_download.py");
        var result = await ProcessRunner.RunAsync(ExternalTool.Require(ExternalTool.DebianPython),
            [script, nar.TorrentFile, saveDirectory, "127.0.0.1", enginePort.ToString(), "45"],
            TimeSpan.FromSeconds(60));
        var done = result.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("DONE ", StringComparison.Ordinal));
        done.Should().NotBeNull($"libtorrent should finish the download; it printed:\n{result.StandardOutput}\n{result.StandardError}");
        var downloaded = await File.ReadAllBytesAsync(Path.Combine(saveDirectory, nar.Info.Name));
        downloaded.Should().Equal(await File.ReadAllBytesAsync(nar.DataPath));
        return long.Parse(done!["DONE ".Length..].Trim());
    }
}
