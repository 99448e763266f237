using System.CommandLine;

namespace NarSeed.Cli;

/// <summary>Builds the `narseed` command tree. Each subcommand lives in its own file under Cli/.</summary>
public static class NarSeedCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "NarSeed: share Nix and Guix substitutes (nars) over BitTorrent v2, with the origin cache as web seed.");
        root.Subcommands.Add(TorrentCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(NarInfoCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(RootsCommand.Create());
        root.Subcommands.Add(GcCommand.Create());
        return root;
    }
}
