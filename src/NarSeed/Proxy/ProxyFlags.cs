using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NarSeed.Hosting;

namespace NarSeed.Proxy;

/// <summary>
/// The flags of <c>narseed proxy</c>; a flag given becomes the highest configuration layer under <c>Proxy:*</c>
/// (the environment's <c>NARSEED__PROXY__*</c> and the config file's <c>"Proxy": {…}</c> sit below it).
/// </summary>
public sealed class ProxyFlags
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"Config file (JSON), settings under \"Proxy\" [default: {NodeConfiguration.DefaultConfigFile} if it exists]",
        HelpName = "FILE",
    };

    private readonly Option<string?> _listen = new("--listen")
    {
        Description = $"HTTP listen address [default: {ProxyOptions.DefaultListen}]",
        HelpName = "ADDRESS:PORT",
    };

    private readonly Option<string[]> _upstreams = new("--upstream")
    {
        Description = "NarSeed node or origin cache asked for narinfos, repeatable",
        HelpName = "URL",
    };

    private readonly Option<string?> _dialect = new("--dialect") { Description = "nix or guix (guix: trusted keys are public-key files, StoreDir /gnu/store) [default: nix]", HelpName = "nix|guix" };

    private readonly Option<string[]> _trustedKeys = new("--trusted-key")
    {
        Description = "Trusted public key, name:base64 (nix) or a public-key file (guix), repeatable",
        HelpName = "KEY",
    };

    private readonly Option<string?> _state = new("--state")
    {
        Description = $"State directory: fetched-nar cache, partial downloads [default: {ProxyOptions.DefaultStateDirectory}]",
        HelpName = "DIR",
    };

    private readonly Option<long?> _cacheSize = new("--cache-size")
    {
        Description = $"Most bytes of fetched nars kept, least recently used go first [default: {ProxyOptions.DefaultCacheSize}]",
        HelpName = "BYTES",
    };

    private readonly Option<TimeSpan?> _seedAfterFetch = new("--seed-after-fetch")
    {
        Description = "Seed nars fetched from the swarm for this long, announced to trackers and by LSD, e.g. 30m, 2h; 0 is off [default: 0]",
        HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    private readonly Option<int?> _btPort = new("--bt-port") { Description = "BitTorrent port while seeding [default: any free]", HelpName = "PORT" };

    private readonly Option<string[]> _peers = new("--peer")
    {
        Description = "Peer dialled for every nar besides the magnet's, repeatable",
        HelpName = "ADDRESS:PORT",
    };

    private readonly Option<string[]> _trackers = new("--tracker")
    {
        Description = "Tracker announced to for every nar besides the magnet's tr=, repeatable",
        HelpName = "URL",
    };

    private readonly Option<bool> _noLsd = new("--no-lsd") { Description = "Turn off local service discovery (BEP 14) [default: on]" };

    private readonly Option<bool> _noPex = new("--no-pex") { Description = "Turn off peer exchange (BEP 11) [default: on]" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
                 {
                     Config, _listen, _upstreams, _dialect, _trustedKeys, _state, _cacheSize, _seedAfterFetch, _btPort, _peers,
                     _trackers, _noLsd, _noPex,
                 })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings given on the command line, by configuration key.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> ToSettings(ParseResult parse)
    {
        var settings = new List<KeyValuePair<string, string?>>();
        void Scalar(string key, string? value)
        {
            if (value is not null) settings.Add(new($"{ProxyOptions.Section}:{key}", value));
        }
        void List(string key, Option<string[]> option)
        {
            var values = parse.GetValue(option) ?? [];
            for (var i = 0; i < values.Length; i++) settings.Add(new($"{ProxyOptions.Section}:{key}:{i}", values[i]));
        }
        Scalar("Listen", parse.GetValue(_listen));
        List("Upstreams", _upstreams);
        Scalar("Dialect", parse.GetValue(_dialect));
        List("TrustedKeys", _trustedKeys);
        Scalar("State", parse.GetValue(_state));
        Scalar("CacheSize", parse.GetValue(_cacheSize)?.ToString(CultureInfo.InvariantCulture));
        Scalar("SeedAfterFetch", parse.GetValue(_seedAfterFetch)?.ToString("c", CultureInfo.InvariantCulture));
        Scalar("BtPort", parse.GetValue(_btPort)?.ToString(CultureInfo.InvariantCulture));
        List("Peers", _peers);
        List("Trackers", _trackers);
        if (parse.GetValue(_noLsd)) Scalar("Lsd", "false");
        if (parse.GetValue(_noPex)) Scalar("Pex", "false");
        return settings;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (text == "0") return TimeSpan.Zero;
        if (DurationText.TryParse(text, out var duration)) return duration;
        result.AddError($"--seed-after-fetch: '{text}' is not a duration (e.g. 0, 30m, 2h, 1d or 01:30:00).");
        return null;
    }
}
