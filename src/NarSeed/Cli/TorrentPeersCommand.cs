using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Metainfo;
using Serilog;
using Serilog.Extensions.Logging;

namespace NarSeed.Cli;

/// <summary>
/// `narseed torrent peers FILE.torrent [--tracker URL]… [--no-trackers] [--no-lsd] [--port P] [--timeout S]
/// [--count N]`: looks the torrent up on its trackers and by LSD, printing one JSON object per peer found
/// (<c>{"peer": "ip:port", "source": "Tracker"}</c>) until N peers or the timeout. Exit code 0 if any peer was found.
/// </summary>
public static class TorrentPeersCommand
{
    public static Command Create()
    {
        var torrentFile = new Argument<FileInfo>("FILE.torrent") { Description = "The torrent to find peers for." };
        var port = new Option<int>("--port") { Description = "TCP port to announce as ours.", DefaultValueFactory = _ => 6881 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to look.", DefaultValueFactory = _ => 30 };
        var count = new Option<int>("--count") { Description = "Stop after this many peers.", DefaultValueFactory = _ => 1 };
        var discovery = new DiscoverySwitches();
        var command = new Command("peers", "Find peers of a torrent through trackers and LSD.") { torrentFile, port, timeout, count };
        discovery.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(torrentFile)!, parse.GetValue(port),
            parse.GetValue(timeout), parse.GetValue(count), discovery.Read(parse), parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo torrentFile, int port, double timeoutSeconds, int count,
        DiscoveryOptions? options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (options is null || port is <= 0 or > 65535 || timeoutSeconds <= 0 || count <= 0)
        {
            await error.WriteLineAsync("narseed: bad --tracker, --port, --timeout or --count.");
            return 2;
        }
        TorrentInfo info;
        try
        {
            info = TorrentReader.Read(await File.ReadAllBytesAsync(torrentFile.FullName, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MetainfoException)
        {
            await error.WriteLineAsync($"narseed: cannot read '{torrentFile}': {e.Message}");
            return 1;
        }
        using var serilog = new LoggerConfiguration().MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var peerId = new byte[20];
        System.Security.Cryptography.RandomNumberGenerator.Fill(peerId);
        "-NS0100-"u8.CopyTo(peerId);
        await using var discovery = new PeerDiscovery(options, peerId, () => port, loggerFactory.CreateLogger<PeerDiscovery>());
        // Downloading: everything is left (the scheduler reports it so trackers count us as a leecher).
        Func<BitTorrent.Trackers.TrackerProgress> progress = () => new BitTorrent.Trackers.TrackerProgress(0, 0, info.Length);
        var torrent = info.HasV2
            ? new DiscoveryTorrent(info.InfoHashV2, info.InfoHashV1, DiscoverySwitches.Tiers(info), progress)
            : DiscoveryTorrent.ForV1Only(info.InfoHashV1!.Value, DiscoverySwitches.Tiers(info), progress);
        discovery.Add(torrent);
        await discovery.StartAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var found = 0;
        try
        {
            await foreach (var peer in discovery.WatchAsync(torrent.Key, deadline.Token))
            {
                var line = new JsonObject { ["peer"] = peer.EndPoint.ToString(), ["source"] = peer.Source.ToString() };
                await output.WriteLineAsync(line.ToJsonString());
                await output.FlushAsync(cancellationToken);
                if (++found >= count) break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return found > 0 ? 0 : 1;
    }
}
