using System.CommandLine;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.Cli;

/// <summary>
/// `narseed torrent show FILE.torrent`: validates a .torrent like libtorrent does and prints one JSON object; an
/// invalid torrent exits 1 with the reason on standard error.
/// </summary>
public static class TorrentShowCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE.torrent") { Description = "The .torrent file to show." };
        var command = new Command("show", "Validate a .torrent file and print its hashes, name, length and sources.")
        {
            file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration;
            var input = parse.GetValue(file)!;
            try
            {
                var bytes = await File.ReadAllBytesAsync(input.FullName, cancellationToken);
                var torrent = TorrentReader.Read(bytes);
                await console.Output.WriteLineAsync(TorrentJson.Format(torrent, input.FullName, details: true));
                return 0;
            }
            catch (MetainfoException e)
            {
                await console.Error.WriteLineAsync($"narseed: '{input}' is not a valid torrent: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"narseed: cannot read '{input}': {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
