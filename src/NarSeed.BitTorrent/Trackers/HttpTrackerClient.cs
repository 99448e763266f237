using System.Globalization;
using System.Net;
using System.Text;

namespace NarSeed.BitTorrent.Trackers;

/// <summary>
/// BEP 3 HTTP tracker: announce with <c>compact=1</c> (BEP 23; BEP 7 <c>peers6</c> accepted) and BEP 48 scrape with
/// repeated <c>info_hash</c>. Every reply is read with a deadline and a size limit before it is parsed.
/// </summary>
public sealed class HttpTrackerClient : ITrackerClient
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TrackerLimits _limits;

    public HttpTrackerClient(Uri url, TrackerLimits? limits = null, HttpClient? httpClient = null)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Not an HTTP tracker URL: {url}", nameof(url));
        }
        Url = url;
        _limits = limits ?? TrackerLimits.Default;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, ConnectTimeout = _limits.HttpTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Url { get; }

    public int MaxScrapeHashes => _limits.MaxHttpScrapeHashes;

    public async Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder();
        Append(query, "info_hash", request.InfoHash.Span);
        Append(query, "peer_id", request.PeerId.Span);
        Append(query, "port", request.Port);
        Append(query, "uploaded", request.Uploaded);
        Append(query, "downloaded", request.Downloaded);
        Append(query, "left", request.Left);
        query.Append("&compact=1&no_peer_id=1");
        if (request.Event != TrackerEvent.None) query.Append("&event=").Append(request.Event.ToString().ToLowerInvariant());
        if (request.NumWant >= 0) Append(query, "numwant", request.NumWant);
        query.Append("&key=").Append(request.Key.ToString("x8", CultureInfo.InvariantCulture));
        if (request.TrackerId is { } id) query.Append("&trackerid=").Append(Uri.EscapeDataString(id));
        var body = await GetAsync(WithQuery(Url, query), cancellationToken).ConfigureAwait(false);
        return HttpTrackerResponse.ParseAnnounce(body, _limits);
    }

    public async Task<IReadOnlyDictionary<string, ScrapeEntry>> ScrapeAsync(IReadOnlyList<ReadOnlyMemory<byte>> infoHashes,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(infoHashes.Count, MaxScrapeHashes);
        var scrape = ScrapeUrl(Url) ?? throw new TrackerException(TrackerErrorReason.UnsupportedScheme,
            $"The tracker {Url} has no scrape URL (BEP 48: the last path segment must start with 'announce').");
        var query = new StringBuilder();
        foreach (var hash in infoHashes) Append(query, "info_hash", hash.Span);
        var body = await GetAsync(WithQuery(scrape, query), cancellationToken).ConfigureAwait(false);
        return HttpTrackerResponse.ParseScrape(body, _limits);
    }

    /// <summary>BEP 48: replace <c>announce</c> at the start of the last path segment with <c>scrape</c>.</summary>
    public static Uri? ScrapeUrl(Uri announce)
    {
        var path = announce.AbsolutePath;
        var slash = path.LastIndexOf('/');
        if (slash < 0 || !path.AsSpan(slash + 1).StartsWith("announce", StringComparison.Ordinal)) return null;
        var builder = new UriBuilder(announce) { Path = path[..(slash + 1)] + "scrape" + path[(slash + 1 + "announce".Length)..] };
        return builder.Uri;
    }

    private async Task<ReadOnlyMemory<byte>> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_limits.HttpTimeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                .ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new TrackerException(TrackerErrorReason.HttpStatus,
                    $"The tracker answered HTTP {(int)response.StatusCode}.");
            }
            if (response.Content.Headers.ContentLength > _limits.MaxResponseLength) throw TooLarge();
            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _limits.MaxResponseLength) throw TooLarge();
                buffer.Write(chunk, 0, read);
            }
            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TrackerException(TrackerErrorReason.Timeout, $"No complete reply within {_limits.HttpTimeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException e)
        {
            throw new TrackerException(TrackerErrorReason.Network, $"HTTP request failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TrackerException(TrackerErrorReason.Network, $"Reading the reply failed: {e.Message}", e);
        }
    }

    private TrackerException TooLarge() => new(TrackerErrorReason.ResponseTooLarge,
        $"The reply exceeds the limit of {_limits.MaxResponseLength} bytes.");

    private static Uri WithQuery(Uri url, StringBuilder query)
    {
        var text = url.OriginalString;
        var separator = text.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(text + separator + query.ToString(1, query.Length - 1));
    }

    private static void Append(StringBuilder query, string name, long value) =>
        query.Append('&').Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Percent-encodes raw bytes; unreserved characters stay literal (as libtorrent's escape_string does).</summary>
    private static void Append(StringBuilder query, string name, ReadOnlySpan<byte> bytes)
    {
        query.Append('&').Append(name).Append('=');
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                query.Append((char)b);
            }
            else
            {
                query.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsHttp) _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
