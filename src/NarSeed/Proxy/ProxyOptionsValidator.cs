using System.Net;
using Microsoft.Extensions.Options;
using NarSeed.Hosting;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Proxy;

/// <summary>Checks what the attributes cannot: addresses, URLs, keys, durations; each message names its setting.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = new List<string>();
        if (!HttpEndpoint.TryParse(options.Listen, out _))
        {
            failures.Add($"Proxy:Listen (--listen): '{options.Listen}' is not ADDRESS:PORT.");
        }
        if (options.Upstreams.Count == 0)
        {
            failures.Add("Proxy:Upstreams (--upstream): at least one NarSeed node or origin cache URL is needed.");
        }
        foreach (var upstream in options.Upstreams)
        {
            if (!Uri.TryCreate(upstream, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                failures.Add($"Proxy:Upstreams (--upstream): '{upstream}' is not an http(s) URL.");
            }
        }
        if (options.TrustedKeys.Count == 0)
        {
            failures.Add("Proxy:TrustedKeys (--trusted-key): at least one key is needed to check narinfo signatures.");
        }
        foreach (var key in options.TrustedKeys)
        {
            if (options.Dialect == StoreDialect.Guix)
            {
                ValidateGuixKey(key, failures);
                continue;
            }
            try
            {
                NixPublicKey.Parse(key);
            }
            catch (Exception e) when (e is NixKeyFormatException or ArgumentException or FormatException)
            {
                failures.Add($"Proxy:TrustedKeys (--trusted-key): '{key}' is not a Nix public key (name:base64).");
            }
        }
        foreach (var peer in options.Peers)
        {
            if (!IPEndPoint.TryParse(peer, out var endPoint) || endPoint.Port == 0)
            {
                failures.Add($"Proxy:Peers (--peer): '{peer}' is not ADDRESS:PORT.");
            }
        }
        foreach (var tracker in options.Trackers)
        {
            if (!Uri.TryCreate(tracker, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "udp"))
            {
                failures.Add($"Proxy:Trackers (--tracker): '{tracker}' is not an http, https or udp URL.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.State))
        {
            failures.Add("Proxy:State (--state) must name a directory.");
        }
        if (options.CacheSize < 0)
        {
            failures.Add($"Proxy:CacheSize (--cache-size) must be 0 or more bytes, not {options.CacheSize}.");
        }
        if (options.BtPort is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"Proxy:BtPort (--bt-port) must be a TCP port (0-65535), not {options.BtPort}.");
        }
        if (options.SeedAfterFetch < TimeSpan.Zero)
        {
            failures.Add("Proxy:SeedAfterFetch (--seed-after-fetch) must not be negative.");
        }
        foreach (var (value, setting) in new[]
                 {
                     (options.NarInfoTimeout, "Proxy:NarInfoTimeout"), (options.SwarmDeadline, "Proxy:SwarmDeadline"),
                     (options.WebSeedDelay, "Proxy:WebSeedDelay"),
                     (options.OriginFirstByteTimeout, "Proxy:OriginFirstByteTimeout"),
                 })
        {
            if (value <= TimeSpan.Zero) failures.Add($"{setting} must be a positive duration.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Guix: a public-key file (or ACL of keys), as <c>guix archive --authorize</c> takes.</summary>
    private static void ValidateGuixKey(string path, List<string> failures)
    {
        try
        {
            if (GuixPublicKey.ParseAll(File.ReadAllText(path)).Count == 0)
            {
                failures.Add($"Proxy:TrustedKeys (--trusted-key): '{path}' holds no Guix public key.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SExpressionFormatException
                                      or ArgumentException or FormatException)
        {
            failures.Add($"Proxy:TrustedKeys (--trusted-key): '{path}' is not a readable Guix public-key file: {e.Message}");
        }
    }
}
