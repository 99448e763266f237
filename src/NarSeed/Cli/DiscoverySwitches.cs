using System.CommandLine;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.Cli;

/// <summary>The discovery options shared by `torrent seed` and `torrent peers`: extra trackers and per-source switches.</summary>
internal sealed class DiscoverySwitches
{
    private readonly Option<string[]> _trackers = new("--tracker")
    {
        Description = "Also announce to this tracker (http, https or udp URL); repeatable.",
    };

    private readonly Option<bool> _noTrackers = new("--no-trackers") { Description = "Announce to no tracker." };

    private readonly Option<bool> _noLsd = new("--no-lsd") { Description = "No local service discovery (BEP 14)." };

    private readonly Option<bool> _noPex = new("--no-pex") { Description = "No peer exchange (BEP 11)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_trackers);
        command.Options.Add(_noTrackers);
        command.Options.Add(_noLsd);
        command.Options.Add(_noPex);
    }

    /// <summary>The options, or null if a tracker URL is not valid.</summary>
    public DiscoveryOptions? Read(ParseResult parse)
    {
        var urls = new List<Uri>();
        foreach (var text in parse.GetValue(_trackers) ?? [])
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https" or "udp")) return null;
            urls.Add(url);
        }
        return new DiscoveryOptions
        {
            Trackers = urls,
            EnableTrackers = !parse.GetValue(_noTrackers),
            EnableLsd = !parse.GetValue(_noLsd),
            EnablePex = !parse.GetValue(_noPex),
        };
    }

    /// <summary>The torrent's own tiers (announce-list), skipping URLs that do not parse.</summary>
    public static IReadOnlyList<IReadOnlyList<Uri>> Tiers(TorrentInfo info) =>
        info.Trackers.Select(tier => (IReadOnlyList<Uri>)tier
                .Select(t => Uri.TryCreate(t, UriKind.Absolute, out var u) ? u : null).OfType<Uri>().ToList())
            .Where(tier => tier.Count > 0).ToList();
}
