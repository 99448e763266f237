using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Http;

/// <summary>
/// An async client for one Nix/Guix substituter: <c>nix-cache-info</c>, narinfos (404 and 403 mean absent, as in
/// Nix's http-binary-cache-store.cc) and nar downloads that resume with Range after a broken transfer. Every attempt
/// is bounded in time, retried with doubling back-off, bounded in size, and follows redirects only to http(s).
/// </summary>
public sealed partial class SubstituterClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SubstituterClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SubstituterClient(Uri baseUri, SubstituterClientOptions? options = null, HttpMessageHandler? handler = null,
        TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!IsHttp(baseUri)) throw new ArgumentException("A substituter URL must be http or https.", nameof(baseUri));
        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _options = options ?? new SubstituterClientOptions();
        Validate(_options);
        _time = timeProvider ?? TimeProvider.System;
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = _options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
    }

    public Uri BaseUri { get; }

    /// <summary>Fetches and parses <c>nix-cache-info</c>. A missing file is an error: Nix calls such a URL "not a binary cache".</summary>
    public async Task<NixCacheInfo> GetCacheInfoAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri, "nix-cache-info");
        var text = await GetTextAsync(uri, _options.MaxCacheInfoBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new SubstituterException(SubstituterErrorReason.NotFound, uri, "no nix-cache-info: not a binary cache.");
        return NixCacheInfo.Parse(text);
    }

    /// <summary>The narinfo text for a store path hash part, or null when the cache answers 404 or 403.</summary>
    public Task<string?> TryGetNarInfoTextAsync(string hashPart, CancellationToken cancellationToken)
    {
        if (hashPart is not { Length: StorePath.HashPartLength } || !Nix32.IsValid(hashPart))
        {
            throw new ArgumentException("A narinfo is named by 32 nix32 characters.", nameof(hashPart));
        }
        return GetTextAsync(new Uri(BaseUri, hashPart + ".narinfo"), _options.MaxNarInfoBytes, cancellationToken);
    }

    /// <summary>Fetches and parses a Nix-dialect narinfo; null when absent. The StorePath must have the requested hash.</summary>
    public async Task<NixNarInfo?> TryGetNixNarInfoAsync(string hashPart, string storeDirectory, CancellationToken cancellationToken)
    {
        var text = await TryGetNarInfoTextAsync(hashPart, cancellationToken).ConfigureAwait(false);
        if (text is null) return null;
        var info = NixNarInfo.Parse(text, storeDirectory, new NarInfoLimits { MaxBytes = _options.MaxNarInfoBytes });
        if (info.StorePath.HashPart != hashPart)
        {
            // Nix: "asked for … but got …" — never accept another path's metadata.
            throw new SubstituterException(SubstituterErrorReason.BadResponse, new Uri(BaseUri, hashPart + ".narinfo"),
                $"narinfo is for {info.StorePath.HashPart}, not {hashPart}.");
        }
        return info;
    }

    /// <summary>Resolves a narinfo URL field against the cache; only http(s) results are allowed (never file://).</summary>
    public Uri ResolveNarUri(string url)
    {
        if (!Uri.TryCreate(BaseUri, url, out var uri) || !IsHttp(uri))
        {
            throw new SubstituterException(SubstituterErrorReason.BadResponse, BaseUri, $"nar URL '{url}' is not http(s).");
        }
        return uri;
    }

    private async Task<string?> GetTextAsync(Uri uri, int maxBytes, CancellationToken cancellationToken) =>
        await WithRetriesAsync(uri, async (attemptToken) =>
        {
            using var response = await SendAsync(HttpMethod.Get, uri, 0, attemptToken.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is 404 or 403) return null;
            if (!response.IsSuccessStatusCode) throw StatusError(response, uri);
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                throw new SubstituterException(SubstituterErrorReason.TooLarge, uri, $"more than {maxBytes} bytes.");
            }
            await using var body = await response.Content.ReadAsStreamAsync(attemptToken.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                attemptToken.CancelAfter(_options.ReadTimeout);
                var n = await body.ReadAsync(chunk, attemptToken.Token).ConfigureAwait(false);
                if (n == 0) break;
                if (buffer.Length + n > maxBytes)
                {
                    throw new SubstituterException(SubstituterErrorReason.TooLarge, uri, $"more than {maxBytes} bytes.");
                }
                buffer.Write(chunk, 0, n);
            }
            try
            {
                return new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (DecoderFallbackException)
            {
                throw new SubstituterException(SubstituterErrorReason.BadResponse, uri, "body is not UTF-8.");
            }
        }, cancellationToken).ConfigureAwait(false);

    private static bool IsHttp(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void Validate(SubstituterClientOptions o)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(o.MaxAttempts, 1, nameof(o.MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfNegative(o.MaxRedirects, nameof(o.MaxRedirects));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.MaxNarInfoBytes, 1, nameof(o.MaxNarInfoBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.MaxCacheInfoBytes, 1, nameof(o.MaxCacheInfoBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(o.MaxNarBytes, 1, nameof(o.MaxNarBytes));
        foreach (var (value, name) in new[] { (o.ConnectTimeout, nameof(o.ConnectTimeout)), (o.ReadTimeout, nameof(o.ReadTimeout)) })
        {
            if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "must be positive.");
        }
        if (o.InitialBackoff < TimeSpan.Zero || o.MaxBackoff < o.InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(o.MaxBackoff), "back-off must satisfy 0 <= InitialBackoff <= MaxBackoff.");
        }
    }

    public void Dispose() => _http.Dispose();
}
