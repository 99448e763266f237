using System.CommandLine;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.Cli;

/// <summary>
/// `narseed torrent create FILE [--hybrid] [--piece-length N] [--name NAME] [--web-seed URL]... [--tracker URL]...
/// [-o OUT.torrent]`: makes the torrent libtorrent would make for FILE, writes it (NAME.torrent in the current
/// directory by default) and prints one JSON object describing it.
/// </summary>
public static class TorrentCreateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to make a torrent for." };
        var hybrid = new Option<bool>("--hybrid") { Description = "Also write v1 fields (a hybrid v1+v2 torrent)." };
        var pieceLength = new Option<int?>("--piece-length")
        {
            Description = "Piece length in bytes: a power of two from 16 KiB to 128 MiB (default: libtorrent's table).",
        };
        var name = new Option<string?>("--name") { Description = "Torrent and file name (default: the file's name)." };
        var webSeeds = new Option<string[]>("--web-seed") { Description = "A BEP 19 web seed URL (repeatable)." };
        var trackers = new Option<string[]>("--tracker") { Description = "A tracker announce URL (repeatable)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the .torrent." };

        var command = new Command("create", "Make a BitTorrent v2 (or hybrid) torrent for one file.")
        {
            file, hybrid, pieceLength, name, webSeeds, trackers, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration;
            var options = new TorrentCreateOptions
            {
                Hybrid = parse.GetValue(hybrid),
                PieceLength = parse.GetValue(pieceLength),
                Name = parse.GetValue(name),
                WebSeeds = parse.GetValue(webSeeds) ?? [],
                Trackers = parse.GetValue(trackers) ?? [],
            };
            var input = parse.GetValue(file)!;
            TorrentInfo torrent;
            try
            {
                torrent = await TorrentBuilder.CreateAsync(input.FullName, options, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                await console.Error.WriteLineAsync($"narseed: cannot create a torrent for '{input}': {e.Message}");
                return 1;
            }
            var path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(torrent.Name + ".torrent");
            try
            {
                await File.WriteAllBytesAsync(path, torrent.ToTorrentFile(), cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"narseed: cannot write '{path}': {e.Message}");
                return 1;
            }
            await console.Output.WriteLineAsync(TorrentJson.Format(torrent, path, details: false));
            return 0;
        });
        return command;
    }
}
