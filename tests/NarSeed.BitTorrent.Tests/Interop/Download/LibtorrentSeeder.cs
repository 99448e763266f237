using System.Globalization;
using System.Net;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Download;

/// <summary>A real libtorrent session seeding one .torrent on 127.0.0.1 (lt_download_seed.py), stopped on dispose.</summary>
internal sealed class LibtorrentSeeder : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private LibtorrentSeeder(RunningProcess process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<LibtorrentSeeder> StartAsync(string torrentPath, string dataDirectory, long uploadRateLimit = 0)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "Download", "lt_download_seed.py");
        var process = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython), 
            uploadRateLimit > 0 ? [script, torrentPath, dataDirectory, uploadRateLimit.ToString(CultureInfo.InvariantCulture)]
                : [script, torrentPath, dataDirectory],
            redirectInput: true);
        try
        {
            var line = await process.WaitForOutputLineAsync(l => l.StartsWith("SEEDING ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            return new LibtorrentSeeder(process, int.Parse(line["SEEDING ".Length..], CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Process.StandardInput.Close();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
        }
        await _process.DisposeAsync();
    }
}
