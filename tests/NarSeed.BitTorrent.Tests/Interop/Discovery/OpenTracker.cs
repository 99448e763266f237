using System.Net.Sockets;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Discovery;

/// <summary>
/// Debian's opentracker on 127.0.0.1 (HTTP and UDP on one port number), with its own whitelist file: Debian's build
/// accepts only whitelisted hashes, 40 hex digits a line (for a v2 torrent the truncated v2 hash). Killed on dispose.
/// </summary>
internal sealed class OpenTracker : IAsyncDisposable
{
    private readonly RunningProcess _process;
    private readonly TempDirectory _directory;

    private OpenTracker(RunningProcess process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri HttpUrl => new($"http://127.0.0.1:{Port}/announce");

    public Uri UdpUrl => new($"udp://127.0.0.1:{Port}/announce");

    public string Output => _process.StandardOutputSoFar + _process.StandardErrorSoFar;

    /// <summary>Starts opentracker with <paramref name="whitelistHex"/> (20-byte hashes, hex) and waits for its HTTP port.</summary>
    public static async Task<OpenTracker> StartAsync(IEnumerable<string> whitelistHex)
    {
        // opentracker drops root for 'nobody' before it reads the whitelist: temp directories are 0700, so open this one.
        var directory = new TempDirectory("narseed-opentracker-");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101);
        var whitelist = directory.Combine("whitelist");
        var hashes = whitelistHex.Select(h => h[..40]).ToList();
        await File.WriteAllLinesAsync(whitelist, hashes);
        var errors = new List<string>();
        // opentracker cannot be told to pick its own port: a free port is chosen and released first, and another
        // process may take it (TCP or the UDP port of the same number) before opentracker binds. It then exits at
        // once; start it again on another port.
        for (var attempt = 0; attempt < MaxStartAttempts; attempt++)
        {
            var port = FreePort.Tcp();
            var process = RunningProcess.Start(ExternalTool.Require("opentracker"),
                ["-i", "127.0.0.1", "-p", port.ToString(), "-P", port.ToString(), "-w", Path.GetFullPath(whitelist), "-A", "127.0.0.1"],
                directory.Path);
            if (await WaitUntilServingAsync(process, port, hashes[0])) return new OpenTracker(process, directory, port);
            errors.Add($"port {port}: {process.StandardErrorSoFar.Trim()}");
            await process.DisposeAsync();
        }
        directory.Dispose();
        throw new InvalidOperationException($"opentracker did not start: {string.Join("; ", errors)}");
    }

    /// <summary>Starts at a port that turned out to be taken (opentracker exits when it cannot bind).</summary>
    private const int MaxStartAttempts = 3;

    /// <summary>True once opentracker answers on its port and accepts a whitelisted hash; false if it exits or takes too long.</summary>
    private static async Task<bool> WaitUntilServingAsync(RunningProcess process, int port, string hashHex)
    {
        // opentracker chdirs to / : the whitelist path must be absolute (it is). -A opens /stats to localhost.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !process.Process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                // The port opens before a background thread has loaded the whitelist: wait until it accepts our hash.
                if (await AcceptsAsync(port, hashHex)) return true;
            }
            catch (Exception e) when (e is SocketException or HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>A started announce that gets no failure reason, then a stopped one so no probe peer stays behind.</summary>
    private static async Task<bool> AcceptsAsync(int port, string hashHex)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var hash = string.Concat(Convert.FromHexString(hashHex).Select(b => $"%{b:X2}"));
        var query = $"http://127.0.0.1:{port}/announce?info_hash={hash}&peer_id=-NS0100-probeprobepr&port=1&uploaded=0" +
            "&downloaded=0&left=0&compact=1&event=";
        var body = await http.GetStringAsync(query + "started");
        await http.GetStringAsync(query + "stopped");
        return !body.Contains("failure reason", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
