using System.Net.Http.Headers;

namespace NarSeed.Substitutes.Http;

public sealed partial class SubstituterClient
{
    /// <summary>Sends one request, following at most MaxRedirects redirects, and only to http(s) URLs.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, long rangeStart, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(method, current);
            if (rangeStart > 0) request.Headers.Range = new RangeHeaderValue(rangeStart, null);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308)) return response;
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null) throw new SubstituterException(SubstituterErrorReason.BadRedirect, current, "redirect without Location.");
            if (redirects >= _options.MaxRedirects)
            {
                throw new SubstituterException(SubstituterErrorReason.TooManyRedirects, uri, $"more than MaxRedirects = {_options.MaxRedirects}.");
            }
            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (!IsHttp(next)) throw new SubstituterException(SubstituterErrorReason.BadRedirect, current, $"redirect to a non-http(s) URL ({next.Scheme}).");
            Log.FollowingRedirect(_logger, current, next);
            current = next;
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> up to MaxAttempts times. Network errors, timeouts, 5xx and 429 are retried after
    /// a doubling back-off (Retry-After is honoured up to MaxBackoff); other failures surface at once.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(Uri uri, Func<CancellationTokenSource, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        for (var number = 1; ; number++)
        {
            using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptToken.CancelAfter(_options.ConnectTimeout + _options.ReadTimeout);
            SubstituterException failure;
            try
            {
                return await attempt(attemptToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new SubstituterException(SubstituterErrorReason.Timeout, uri, "no progress within the timeout.", inner: e);
            }
            catch (HttpRequestException e)
            {
                failure = new SubstituterException(SubstituterErrorReason.Network, uri, e.Message, inner: e);
            }
            catch (SubstituterException e) when (IsTransient(e))
            {
                failure = e;
            }
            catch (IOException e) when (e is not SubstituterException)
            {
                failure = new SubstituterException(SubstituterErrorReason.Network, uri, e.Message, inner: e);
            }
            if (number >= _options.MaxAttempts) throw failure;
            var delay = failure.Data["RetryAfter"] is TimeSpan retryAfter && retryAfter > backoff ? retryAfter : backoff;
            if (delay > _options.MaxBackoff) delay = _options.MaxBackoff;
            Log.RetryingRequest(_logger, uri, failure.Reason.ToString(), number, _options.MaxAttempts, delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            backoff = backoff * 2 > _options.MaxBackoff ? _options.MaxBackoff : backoff * 2;
        }
    }

    private static bool IsTransient(SubstituterException e) => e.Reason switch
    {
        SubstituterErrorReason.Timeout or SubstituterErrorReason.Network => true,
        SubstituterErrorReason.HttpStatus => e.StatusCode is >= 500 or 429,
        _ => false,
    };

    private static SubstituterException StatusError(HttpResponseMessage response, Uri uri)
    {
        var status = (int)response.StatusCode;
        var error = new SubstituterException(
            status is 404 or 403 or 410 ? SubstituterErrorReason.NotFound : SubstituterErrorReason.HttpStatus,
            uri, $"HTTP {status}.", statusCode: status);
        if (response.Headers.RetryAfter?.Delta is { } delta) error.Data["RetryAfter"] = delta;
        return error;
    }
}
