using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace NarSeed.Hosting;

/// <summary>What every command over a node's configuration does first: build the layers, bind, validate.</summary>
public static class NodeCommandSupport
{
    /// <summary>Exit code for a configuration the node cannot run with.</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>Loads the configuration; on failure writes the message naming the setting to stderr and returns null.</summary>
    public static (IConfigurationRoot Configuration, NodeOptions Options)? Load(
        NodeFlags flags, ParseResult parse, TextWriter error)
    {
        try
        {
            var configuration = NodeConfiguration.Build(parse.GetValue(flags.Config), flags.ToSettings(parse),
                Environment.GetEnvironmentVariables(), AppContext.BaseDirectory);
            return (configuration, NodeServices.LoadOptions(configuration));
        }
        catch (NodeConfigurationException e)
        {
            error.WriteLine($"narseed: invalid configuration:{Environment.NewLine}{e.Message}");
            return null;
        }
    }

    /// <summary>Bytes for people: the exact count and a binary-prefixed approximation.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit < 0
            ? $"{bytes} bytes"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} bytes ({value:0.#} {units[unit]})");
    }
}
