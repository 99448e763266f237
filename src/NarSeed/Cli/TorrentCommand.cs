using System.CommandLine;

namespace NarSeed.Cli;

/// <summary>`narseed torrent …`: make, inspect, seed and fetch single-file BitTorrent v2 torrents.</summary>
public static class TorrentCommand
{
    public static Command Create()
    {
        var torrent = new Command("torrent", "Create, inspect, seed and download BitTorrent v2 torrents.");
        torrent.Subcommands.Add(TorrentCreateCommand.Create());
        torrent.Subcommands.Add(TorrentShowCommand.Create());
        torrent.Subcommands.Add(TorrentSeedCommand.Create());
        torrent.Subcommands.Add(TorrentPeersCommand.Create());
        torrent.Subcommands.Add(TorrentGetCommand.Create());
        return torrent;
    }
}
