using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine;
using NarSeed.BitTorrent.Metainfo;
using Serilog;
using Serilog.Extensions.Logging;

namespace NarSeed.Cli;

/// <summary>
/// `narseed torrent seed FILE.torrent DATAFILE [--port P] [--upload-limit BYTES_PER_S] [--tracker URL]… [--no-trackers]
/// [--no-lsd] [--no-pex]`: serves one torrent with NarSeed's engine until Ctrl-C or SIGTERM, announcing it to its
/// trackers (and any given) and by LSD, logging every peer, metadata piece and hash reply it serves.
/// </summary>
public static partial class TorrentSeedCommand
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var torrentFile = new Argument<FileInfo>("FILE.torrent") { Description = "The .torrent to seed." };
        var dataFile = new Argument<FileInfo>("DATAFILE") { Description = "The file the torrent describes." };
        var port = new Option<int>("--port") { Description = "TCP port to listen on (IPv4 and IPv6); 0 picks one.", DefaultValueFactory = _ => 6881 };
        var uploadLimit = new Option<long>("--upload-limit") { Description = "Upload limit in bytes per second; 0 = unlimited." };
        var discovery = new DiscoverySwitches();
        var command = new Command("seed", "Seed one torrent until stopped.") { torrentFile, dataFile, port, uploadLimit };
        discovery.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(torrentFile)!, parse.GetValue(dataFile)!,
            parse.GetValue(port), parse.GetValue(uploadLimit), discovery.Read(parse), parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo torrentFile, FileInfo dataFile, int port, long uploadLimit,
        DiscoveryOptions? discoveryOptions, TextWriter error, CancellationToken cancellationToken)
    {
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
        dataFile.Refresh();
        if (!dataFile.Exists || dataFile.Length != info.Length)
        {
            await error.WriteLineAsync(dataFile.Exists
                ? $"narseed: '{dataFile}' has {dataFile.Length} bytes; the torrent describes {info.Length}."
                : $"narseed: '{dataFile}' does not exist.");
            return 1;
        }
        if (port is < 0 or > 65535 || uploadLimit < 0 || discoveryOptions is null)
        {
            await error.WriteLineAsync("narseed: --port must be 0–65535, --upload-limit at least 0, --tracker an http(s) or udp URL.");
            return 2;
        }

        using var serilog = new LoggerConfiguration().MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var log = loggerFactory.CreateLogger("NarSeed.Cli.TorrentSeed");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var options = new SeedEngineOptions
        {
            Port = port,
            UploadRateLimit = uploadLimit,
            ListenAddresses = Socket.OSSupportsIPv6 ? [IPAddress.IPv6Any] : [IPAddress.Any],
        };
        await using var engine = new SeedEngine(options, loggerFactory.CreateLogger<SeedEngine>());
        await using var discovery = new PeerDiscovery(discoveryOptions, engine.PeerId, () => engine.Port,
            loggerFactory.CreateLogger<PeerDiscovery>());
        engine.Discovery = discovery;
        engine.TrackerTiers = DiscoverySwitches.Tiers(info);
        try
        {
            engine.Register(SeedTorrent.FromTorrentInfo(info, dataFile.FullName));
            await engine.StartAsync(stop.Token);
            await discovery.StartAsync(stop.Token);
        }
        catch (Exception e) when (e is ArgumentException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"narseed: cannot seed: {e.Message}");
            return 1;
        }
        Seeding(log, info.Name, info.Length, info.InfoHashHex, engine.Port, info.ToMagnetLink().ToString());
        using var timer = new PeriodicTimer(StatusInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                Status(log, engine.ConnectionCount, engine.BytesUploaded);
            }
        }
        catch (OperationCanceledException)
        {
        }
        Stopping(log, engine.BytesUploaded);
        return 0;
    }

    [LoggerMessage(1, LogLevel.Information, "Seeding {Name} ({Length} bytes, v2 {InfoHash}) on port {Port}; magnet {Magnet}")]
    private static partial void Seeding(Microsoft.Extensions.Logging.ILogger logger, string name, long length, string infoHash, int port, string magnet);

    [LoggerMessage(2, LogLevel.Information, "{Peers} peers connected, {Bytes} bytes uploaded")]
    private static partial void Status(Microsoft.Extensions.Logging.ILogger logger, int peers, long bytes);

    [LoggerMessage(3, LogLevel.Information, "Stopping: {Bytes} bytes uploaded in total")]
    private static partial void Stopping(Microsoft.Extensions.Logging.ILogger logger, long bytes);
}
