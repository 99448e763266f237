using Microsoft.Extensions.Options;
using NarSeed.Catalog;

namespace NarSeed.Hosting;

/// <summary>
/// The rules data annotations cannot say: URLs, the listen address, key formats, files that must exist, and what the
/// dialect requires. Every message starts with the setting's key and its flag, so a volunteer knows what to fix.
/// </summary>
public sealed class NodeOptionsConsistencyValidator : IValidateOptions<NodeOptions>
{
    /// <summary>An Ed25519 public key is 32 bytes (RFC 8032 §5.1.5), as in Nix's <c>name:base64</c> keys.</summary>
    private const int Ed25519PublicKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        if (options.Origins.Count == 0)
        {
            failures.Add($"Origins (--origin): at least one origin is required for dialect {options.Dialect}.");
        }
        foreach (var origin in options.Origins)
        {
            if (!IsHttpUrl(origin))
            {
                failures.Add($"Origins (--origin): '{origin}' is not an absolute http or https URL.");
            }
        }
        if (options.TrustedKeys.Count == 0)
        {
            failures.Add("TrustedKeys (--trusted-key): at least one key is required to verify the origin's narinfos.");
        }
        foreach (var key in options.TrustedKeys)
        {
            if (options.Dialect == StoreDialect.Nix && !IsNixPublicKey(key))
            {
                failures.Add($"TrustedKeys (--trusted-key): '{key}' is not a Nix public key (name:base64 of 32 bytes).");
            }
            else if (options.Dialect == StoreDialect.Guix && !File.Exists(key))
            {
                failures.Add($"TrustedKeys (--trusted-key): Guix key file '{key}' does not exist.");
            }
        }
        if (!HttpEndpoint.TryParse(options.Http, out _))
        {
            failures.Add($"Http (--http): '{options.Http}' is not ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080).");
        }
        foreach (var root in options.Roots)
        {
            if (!StorePathText.TryGetHashPart(root, out _) && !File.Exists(root))
            {
                failures.Add($"Roots (--root): '{root}' is neither a store path nor an existing file of store paths.");
            }
        }
        foreach (var tracker in options.BitTorrent.Trackers)
        {
            if (!Uri.TryCreate(tracker, UriKind.Absolute, out var uri) ||
                uri.Scheme is not ("http" or "https" or "udp"))
            {
                failures.Add($"BitTorrent:Trackers (--tracker): '{tracker}' is not an http, https or udp URL.");
            }
        }
        if (options.SigningKey is { Length: > 0 } signingKey && !File.Exists(signingKey))
        {
            failures.Add($"SigningKey (--signing-key): file '{signingKey}' does not exist.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
        string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    private static bool IsNixPublicKey(string text)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        Span<byte> key = stackalloc byte[Ed25519PublicKeyLength + 3];
        return Convert.TryFromBase64String(text[(colon + 1)..], key, out var written) &&
               written == Ed25519PublicKeyLength;
    }
}
