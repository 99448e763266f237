using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace NarSeed.BitTorrent.WebSeeds;

/// <summary>
/// BEP 19 byte-range reads over pooled keep-alive connections (one <see cref="SocketsHttpHandler"/>, TCP_NODELAY).
/// Accepts only a 206 whose Content-Range is exactly the range asked for, or a 200 carrying the whole file; follows
/// redirects itself, within a limit, only to http(s) and never from a public address to a private one.
/// </summary>
public sealed class WebSeedClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly WebSeedOptions _options;

    public WebSeedClient(WebSeedOptions options, TimeProvider? timeProvider = null)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = options.StallTimeout,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    /// <summary>
    /// Reads bytes [<paramref name="start"/>, start + destination.Length) of a file of <paramref name="fileLength"/>
    /// bytes at <paramref name="url"/> into <paramref name="destination"/>, or throws a <see cref="WebSeedException"/>.
    /// <paramref name="onProgress"/>, when given, is told after each read how many bytes of the destination are filled
    /// (so whole pieces can be verified while the rest streams in).
    /// </summary>
    public async Task ReadRangeAsync(Uri url, long fileLength, long start, Memory<byte> destination, CancellationToken cancellationToken,
        Action<int>? onProgress = null)
    {
        var end = start + destination.Length - 1;
        var current = url;
        var originPrivate = await AddressPolicy.IsPrivateHostAsync(url.Host, cancellationToken).ConfigureAwait(false);
        for (var redirects = 0; ; redirects++)
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(_options.StallTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Range = new RangeHeaderValue(start, end);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new WebSeedException(WebSeedErrorReason.Stalled, $"{current}: no response in time");
            }
            catch (HttpRequestException e)
            {
                throw new WebSeedException(WebSeedErrorReason.Network, $"{current}: {e.Message}", inner: e);
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (redirects >= _options.MaxRedirects)
                        throw new WebSeedException(WebSeedErrorReason.RedirectRefused, $"{url}: more than {_options.MaxRedirects} redirects");
                    var target = location.IsAbsoluteUri ? location : new Uri(current, location);
                    await CheckRedirectAsync(current, target, originPrivate, cancellationToken).ConfigureAwait(false);
                    current = target;
                    continue;
                }
                if (status == 206)
                {
                    var range = response.Content.Headers.ContentRange;
                    if (range is not { HasRange: true, Unit: "bytes" } || range.From != start || range.To != end ||
                        (range.Length is { } total && total != fileLength))
                    {
                        throw new WebSeedException(WebSeedErrorReason.WrongRange,
                            $"{current}: asked for bytes {start}-{end}, got Content-Range {range}");
                    }
                    await ReadBodyAsync(response, 0, destination, stall, onProgress, cancellationToken).ConfigureAwait(false);
                    return;
                }
                if (status == 200)
                {
                    if (response.Content.Headers.ContentLength != fileLength)
                    {
                        throw new WebSeedException(WebSeedErrorReason.WrongRange,
                            $"{current}: 200 with Content-Length {response.Content.Headers.ContentLength}, not the whole file ({fileLength})");
                    }
                    await ReadBodyAsync(response, start, destination, stall, onProgress, cancellationToken).ConfigureAwait(false);
                    return;
                }
                throw new WebSeedException(WebSeedErrorReason.HttpStatus, $"{current}: HTTP {status}", RetryAfter(response));
            }
        }
    }

    private static async Task CheckRedirectAsync(Uri from, Uri target, bool originPrivate, CancellationToken cancellationToken)
    {
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            throw new WebSeedException(WebSeedErrorReason.RedirectRefused, $"{from}: redirect to a {target.Scheme}: URL refused");
        if (!originPrivate && await AddressPolicy.IsPrivateHostAsync(target.Host, cancellationToken).ConfigureAwait(false))
            throw new WebSeedException(WebSeedErrorReason.RedirectRefused, $"{from}: redirect from a public to a private address refused");
    }

    /// <summary>Skips <paramref name="skip"/> bytes, then fills <paramref name="destination"/> exactly; each read re-arms the stall timer.</summary>
    private async Task ReadBodyAsync(HttpResponseMessage response, long skip, Memory<byte> destination, CancellationTokenSource stall,
        Action<int>? onProgress, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            var scratch = skip > 0 ? new byte[64 * 1024] : null;
            while (skip > 0)
            {
                var read = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch!.Length, skip)), stall.Token).ConfigureAwait(false);
                if (read == 0) throw new WebSeedException(WebSeedErrorReason.Truncated, "The body ended early.");
                skip -= read;
                stall.CancelAfter(_options.StallTimeout);
            }
            var filled = 0;
            while (filled < destination.Length)
            {
                var read = await body.ReadAsync(destination[filled..], stall.Token).ConfigureAwait(false);
                if (read == 0)
                    throw new WebSeedException(WebSeedErrorReason.Truncated, $"The body ended after {filled} of {destination.Length} bytes.");
                filled += read;
                stall.CancelAfter(_options.StallTimeout);
                onProgress?.Invoke(filled);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebSeedException(WebSeedErrorReason.Stalled, "No bytes within the stall timeout.");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new WebSeedException(WebSeedErrorReason.Truncated, $"The body broke off: {e.Message}", inner: e);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retry) return null;
        if (retry.Delta is { } delta) return delta;
        return retry.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    public void Dispose() => _http.Dispose();
}
