using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Metainfo;
using Serilog;
using Serilog.Extensions.Logging;

namespace NarSeed.Cli;

/// <summary>
/// `narseed torrent get (FILE.torrent | MAGNET) -o DIR [--peer HOST:PORT]… [--web-seed URL]… [--stream]`: downloads one
/// torrent from the given peers and web seeds, verifying everything; shows a progress line when stderr is a terminal
/// and prints one JSON object at the end (bytes, seconds, bytes from peers and from web seeds).
/// </summary>
public static class TorrentGetCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var source = new Argument<string>("SOURCE") { Description = "A .torrent file or a magnet link." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Directory to download into.", Required = true };
        var peers = new Option<string[]>("--peer") { Description = "A peer to connect to, HOST:PORT (repeatable).", AllowMultipleArgumentsPerToken = false };
        var webSeeds = new Option<string[]>("--web-seed") { Description = "A BEP 19 web seed URL (repeatable)." };
        var stream = new Option<bool>("--stream") { Description = "Fetch pieces in order (streaming) instead of rarest first." };
        var delay = new Option<double>("--web-seed-delay")
        {
            Description = "Seconds to wait for peers before using web seeds.",
            DefaultValueFactory = _ => DownloadOptions.DefaultWebSeedDelay.TotalSeconds,
        };
        var command = new Command("get", "Download one torrent from peers and web seeds.") { source, output, peers, webSeeds, stream, delay };
        var switches = new DiscoverySwitches();
        switches.AddTo(command);
        var port = new Option<int>("--port") { Description = "TCP port announced as ours (get itself accepts no connections).", DefaultValueFactory = _ => 6881 };
        command.Options.Add(port);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(source)!, parse.GetValue(output)!,
            parse.GetValue(peers) ?? [], parse.GetValue(webSeeds) ?? [], parse.GetValue(stream), parse.GetValue(delay),
            new GetDiscovery(switches.Read(parse), parse.GetValue(port)),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string source, DirectoryInfo output, string[] peerArguments, string[] webSeeds,
        bool streaming, double delaySeconds, GetDiscovery discoverySwitches, TextWriter stdout, TextWriter error,
        CancellationToken cancellationToken)
    {
        if (discoverySwitches.Options is null || discoverySwitches.Port is <= 0 or > 65535)
        {
            await error.WriteLineAsync("narseed: bad --tracker or --port.");
            return 2;
        }
        var peers = new List<IPEndPoint>();
        foreach (var peer in peerArguments)
        {
            if (await ResolveAsync(peer, cancellationToken) is { } endPoint) peers.Add(endPoint);
            else
            {
                await error.WriteLineAsync($"narseed: --peer '{peer}' is not HOST:PORT.");
                return 2;
            }
        }
        foreach (var url in webSeeds)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                await error.WriteLineAsync($"narseed: --web-seed '{url}' is not an http(s) URL.");
                return 2;
            }
        }
        if (delaySeconds < 0)
        {
            await error.WriteLineAsync("narseed: --web-seed-delay must be at least 0.");
            return 2;
        }

        using var serilog = new LoggerConfiguration().MinimumLevel.Warning()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var log = loggerFactory.CreateLogger("NarSeed.Cli.TorrentGet");
        var peerId = new byte[20];
        "-NS0100-"u8.CopyTo(peerId);
        System.Security.Cryptography.RandomNumberGenerator.Fill(peerId.AsSpan(8));
        // Trackers (the torrent's own, magnet tr=, --tracker), LSD and PEX unless switched off; the download registers itself.
        await using var discovery = new NarSeed.BitTorrent.Discovery.PeerDiscovery(discoverySwitches.Options, peerId,
            () => discoverySwitches.Port, loggerFactory.CreateLogger("NarSeed.Cli.Discovery"));
        await discovery.StartAsync(cancellationToken);
        var options = new DownloadOptions
        {
            OutputDirectory = output.FullName, Peers = peers, WebSeeds = webSeeds, Streaming = streaming,
            WebSeedDelay = TimeSpan.FromSeconds(delaySeconds), Discovery = discovery, PeerId = peerId,
            ListenPort = discoverySwitches.Port,
        };
        TorrentDownload download;
        try
        {
            download = source.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase)
                ? new TorrentDownload(MagnetLink.Parse(source), options, log)
                : new TorrentDownload(TorrentReader.Read(await File.ReadAllBytesAsync(source, cancellationToken)), options, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetainfoException or MagnetLinkException
                                      or ArgumentException)
        {
            await error.WriteLineAsync($"narseed: cannot read '{source}': {e.Message}");
            return 1;
        }

        await using var _ = download;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var run = download.RunAsync(stop.Token);
        var progress = Console.IsErrorRedirected ? Task.CompletedTask : ShowProgressAsync(download, run, error);
        DownloadResult result;
        try
        {
            result = await run;
        }
        catch (DownloadException e)
        {
            await progress;
            await error.WriteLineAsync($"narseed: download failed ({e.Reason}): {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            await progress;
            await error.WriteLineAsync("narseed: stopped; the part file and its resume state are kept.");
            return 130;
        }
        await progress;
        await stdout.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["path"] = result.Path,
            ["bytes"] = result.Bytes,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["bytes_from_peers"] = result.BytesFromPeers,
            ["bytes_from_web_seeds"] = result.BytesFromWebSeeds,
            ["bytes_already_on_disk"] = result.BytesAlreadyOnDisk,
            ["bytes_uploaded"] = download.BytesUploaded,
            ["peers_banned"] = result.PeersBanned,
            ["web_seeds_dropped"] = result.WebSeedsDropped,
        }));
        return 0;
    }

    /// <summary>One carriage-returned line on the terminal: percent, bytes, rate, peers.</summary>
    private static async Task ShowProgressAsync(TorrentDownload download, Task run, TextWriter error)
    {
        var started = DateTime.UtcNow;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(ProgressInterval));
            var length = download.Torrent?.Length ?? 0;
            var done = download.BytesFromPeers + download.BytesFromWebSeeds + download.BytesAlreadyOnDisk;
            var seconds = Math.Max((DateTime.UtcNow - started).TotalSeconds, 0.001);
            var percent = length > 0 ? 100.0 * done / length : 0;
            await error.WriteAsync($"\r{percent,5:F1}%  {done / 1e6,10:F1} MB  {(done - download.BytesAlreadyOnDisk) / seconds / 1e6,8:F1} MB/s  {download.ConnectedPeers} peers ");
        }
        await error.WriteLineAsync();
    }

    private static async Task<IPEndPoint?> ResolveAsync(string value, CancellationToken cancellationToken)
    {
        if (IPEndPoint.TryParse(value, out var endPoint) && endPoint.Port != 0) return endPoint;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535) return null;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(value[..colon], cancellationToken);
            return addresses.Length > 0 ? new IPEndPoint(addresses[0], port) : null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>The discovery switches of `get` (null options: a bad --tracker) and the port announced as ours.</summary>
    private sealed record GetDiscovery(NarSeed.BitTorrent.Discovery.DiscoveryOptions? Options, int Port);
}
