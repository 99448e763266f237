using System.Collections;
using Microsoft.Extensions.Configuration;

namespace NarSeed.Hosting;

/// <summary>
/// Builds the node's configuration from its layers, lowest first: built-in defaults, <c>appsettings.json</c> next to
/// the program, the config file (<c>/etc/nar-seed/config.json</c> when present, or the one <c>--config</c> names,
/// which must exist), <c>NARSEED__*</c> environment variables, then flags. Each layer replaces lists wholesale.
/// </summary>
public static class NodeConfiguration
{
    public const string DefaultConfigFile = "/etc/nar-seed/config.json";

    public const string AppSettingsFile = "appsettings.json";

    /// <summary>Environment variables with this prefix are settings: <c>NARSEED__GC__GRACE</c> is <c>Gc:Grace</c>.</summary>
    public const string EnvironmentPrefix = "NARSEED__";

    /// <summary>systemd's StateDirectory= hands the directory over in this variable (colon-separated if several).</summary>
    public const string SystemdStateDirectoryVariable = "STATE_DIRECTORY";

    /// <param name="configFile">The <c>--config</c> path, or null for the default file (used only if it exists).</param>
    /// <param name="flags">Settings given as flags, by configuration key.</param>
    /// <param name="environment">The process environment (a test passes its own).</param>
    /// <param name="appDirectory">Where appsettings.json is looked for (the program's directory).</param>
    public static IConfigurationRoot Build(
        string? configFile,
        IEnumerable<KeyValuePair<string, string?>> flags,
        IDictionary environment,
        string appDirectory)
    {
        var builder = new ConfigurationBuilder();
        builder.Add(new ReplacingConfigurationSource(Defaults(environment)));
        builder.Add(new ReplacingConfigurationSource(ReadJson(Path.Combine(appDirectory, AppSettingsFile), false)));
        builder.Add(new ReplacingConfigurationSource(configFile is null
            ? ReadJson(DefaultConfigFile, required: false)
            : ReadJson(configFile, required: true)));
        builder.Add(new ReplacingConfigurationSource(FromEnvironment(environment)));
        builder.Add(new ReplacingConfigurationSource(flags));
        return builder.Build();
    }

    private static IEnumerable<KeyValuePair<string, string?>> Defaults(IDictionary environment)
    {
        var systemd = environment[SystemdStateDirectoryVariable] as string;
        var state = string.IsNullOrEmpty(systemd) ? NodeOptions.DefaultStateDirectory : systemd.Split(':')[0];
        yield return new("State", state);
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadJson(string path, bool required)
    {
        if (!File.Exists(path))
        {
            if (required)
            {
                throw new NodeConfigurationException($"Config file '{path}' (--config) does not exist.");
            }
            return [];
        }
        try
        {
            var fullPath = Path.GetFullPath(path);
            return new ConfigurationBuilder()
                .AddJsonFile(new Microsoft.Extensions.FileProviders.PhysicalFileProvider(
                    Path.GetDirectoryName(fullPath)!), Path.GetFileName(fullPath), optional: false,
                    reloadOnChange: false)
                .Build().AsEnumerable().Where(kv => kv.Value is not null).ToList();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException
                                      or System.Text.Json.JsonException)
        {
            throw new NodeConfigurationException($"Config file '{path}' is not valid JSON: {e.Message}");
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string key && key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new(key[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter),
                    entry.Value as string);
            }
        }
    }
}
