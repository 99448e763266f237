using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NarSeed.Hosting;

/// <summary>
/// The flags every node setting has, shared by <c>serve</c>, <c>roots</c> and <c>gc</c> (one instance per command).
/// A flag given on the command line becomes the highest configuration layer under the setting's key.
/// </summary>
public sealed class NodeFlags
{
    /// <summary>Each setting's configuration key and its flag.</summary>
    public static IReadOnlyDictionary<string, string> FlagsByKey { get; } = new Dictionary<string, string>
    {
        ["State"] = "--state", ["Origins"] = "--origin", ["Dialect"] = "--dialect",
        ["TrustedKeys"] = "--trusted-key", ["Roots"] = "--root", ["Http"] = "--http",
        ["BitTorrent:Port"] = "--bt-port", ["BitTorrent:UploadLimit"] = "--upload-limit",
        ["BitTorrent:Hybrid"] = "--hybrid", ["BitTorrent:Trackers"] = "--tracker", ["SigningKey"] = "--signing-key",
        ["Gc:DiskQuota"] = "--disk-quota", ["Gc:Grace"] = "--gc-grace",
    };

    /// <summary>
    /// Adds to a validation or binding message the places the setting it names can be set, e.g.
    /// "… (BitTorrent:Port: --bt-port, NARSEED__BITTORRENT__PORT)". Messages naming no known setting stay as they are.
    /// </summary>
    public static string WithWhereToSet(string message)
    {
        foreach (var (key, flag) in FlagsByKey.OrderByDescending(p => p.Key.Length))
        {
            var dotted = key.Replace(':', '.');
            if (message.Contains($"NodeOptions.{dotted}", StringComparison.Ordinal) ||
                message.Contains($"'{key}'", StringComparison.Ordinal) ||
                message.StartsWith($"{key} (", StringComparison.Ordinal))
            {
                var environment = NodeConfiguration.EnvironmentPrefix + key.Replace(":", "__").ToUpperInvariant();
                return message.Contains(flag, StringComparison.Ordinal)
                    ? message
                    : $"{message} ({key}: {flag}, {environment})";
            }
        }
        return message;
    }

    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"Config file (JSON) [default: {NodeConfiguration.DefaultConfigFile} if it exists]",
        HelpName = "FILE",
    };

    private readonly Option<string?> _state = new("--state")
    {
        Description = "State directory: catalog and nar files [default: ./state, or $STATE_DIRECTORY under systemd]",
        HelpName = "DIR",
    };

    private readonly Option<string[]> _origins = new("--origin")
    {
        Description = $"Origin cache URL, repeatable [default: {NodeOptions.DefaultOrigin}]",
        HelpName = "URL",
    };

    private readonly Option<string?> _dialect = new("--dialect")
    {
        Description = "nix or guix [default: nix]",
        HelpName = "nix|guix",
    };

    private readonly Option<string[]> _trustedKeys = new("--trusted-key")
    {
        Description = "Trusted public key (Nix name:base64; Guix: key file), repeatable [default: cache.nixos.org-1]",
        HelpName = "KEY",
    };

    private readonly Option<string[]> _roots = new("--root")
    {
        Description = "Store path, or file listing store paths, whose closure is kept; repeatable",
        HelpName = "STORE_PATH_OR_FILE",
    };

    private readonly Option<string?> _http = new("--http")
    {
        Description = $"HTTP listen address [default: {NodeOptions.DefaultHttp}]",
        HelpName = "ADDRESS:PORT",
    };

    private readonly Option<int?> _btPort = new("--bt-port")
    {
        Description = $"BitTorrent listen port [default: {BitTorrentOptions.DefaultPort}]",
        HelpName = "PORT",
    };

    private readonly Option<long?> _uploadLimit = new("--upload-limit")
    {
        Description = "Upload limit in bytes per second [default: unlimited]",
        HelpName = "BYTES_PER_S",
    };

    private readonly Option<long?> _diskQuota = new("--disk-quota")
    {
        Description = "Most bytes of nar files to keep; unrooted nars are evicted above it [default: none]",
        HelpName = "BYTES",
    };

    private readonly Option<bool> _hybrid = new("--hybrid")
    {
        Description = "Make hybrid v1+v2 torrents [default: v2 only]",
    };

    private readonly Option<string[]> _trackers = new("--tracker")
    {
        Description = "Tracker announce URL, repeatable",
        HelpName = "URL",
    };

    private readonly Option<string?> _signingKey = new("--signing-key")
    {
        Description = "Nix secret key file; the node adds its own signature to narinfos",
        HelpName = "FILE",
    };

    private readonly Option<TimeSpan?> _gcGrace = new("--gc-grace")
    {
        Description = "How long an unrooted nar stays before deletion, e.g. 30d, 12h, 90m, 1.12:00:00 [default: 30d]",
        HelpName = "DURATION",
        CustomParser = ParseDuration,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
                 {
                     Config, _state, _origins, _dialect, _trustedKeys, _roots, _http, _btPort, _uploadLimit,
                     _diskQuota, _hybrid, _trackers, _signingKey, _gcGrace,
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
            if (value is not null) settings.Add(new(key, value));
        }
        void List(string key, Option<string[]> option)
        {
            var values = parse.GetValue(option) ?? [];
            for (var i = 0; i < values.Length; i++) settings.Add(new($"{key}:{i}", values[i]));
        }
        Scalar("State", parse.GetValue(_state));
        List("Origins", _origins);
        Scalar("Dialect", parse.GetValue(_dialect));
        List("TrustedKeys", _trustedKeys);
        List("Roots", _roots);
        Scalar("Http", parse.GetValue(_http));
        Scalar("BitTorrent:Port", Invariant(parse.GetValue(_btPort)));
        Scalar("BitTorrent:UploadLimit", Invariant(parse.GetValue(_uploadLimit)));
        Scalar("Gc:DiskQuota", Invariant(parse.GetValue(_diskQuota)));
        if (parse.GetResult(_hybrid) is { Implicit: false })
        {
            Scalar("BitTorrent:Hybrid", parse.GetValue(_hybrid) ? "true" : "false");
        }
        List("BitTorrent:Trackers", _trackers);
        Scalar("SigningKey", parse.GetValue(_signingKey));
        Scalar("Gc:Grace", parse.GetValue(_gcGrace)?.ToString("c", CultureInfo.InvariantCulture));
        return settings;
    }

    private static string? Invariant<T>(T? value) where T : struct, IFormattable =>
        value?.ToString(null, CultureInfo.InvariantCulture);

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DurationText.TryParse(text, out var duration))
        {
            return duration;
        }
        result.AddError($"--gc-grace: '{text}' is not a duration (e.g. 30d, 12h, 90m, 45s or 1.12:00:00).");
        return null;
    }
}
