namespace NarSeed.Substitutes.Http;

public sealed partial class SubstituterClient
{
    private const int DownloadChunkSize = 128 * 1024;

    /// <summary>
    /// Downloads the nar at <paramref name="url"/> (the narinfo URL field) into <paramref name="destination"/>. After a
    /// broken transfer it resumes with <c>Range: bytes=N-</c>; a server that answers 200 instead makes it start over
    /// (seekable destinations only). The body is bounded by <paramref name="expectedSize"/> when given, else MaxNarBytes.
    /// Returns the number of bytes written.
    /// </summary>
    public async Task<long> DownloadNarAsync(string url, Stream destination, long? expectedSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var uri = ResolveNarUri(url);
        var max = expectedSize ?? _options.MaxNarBytes;
        var origin = destination.CanSeek ? destination.Position : 0;
        long written = 0;
        return await WithRetriesAsync(uri, async attemptToken =>
        {
            if (written > 0) Log.ResumingDownload(_logger, uri, written);
            using var response = await SendAsync(HttpMethod.Get, uri, written, attemptToken.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status == 206)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != written)
                {
                    throw new SubstituterException(SubstituterErrorReason.BadResponse, uri, $"asked for bytes from {written}, got {range}.", written);
                }
            }
            else if (status == 200)
            {
                if (written > 0)
                {
                    if (!destination.CanSeek)
                    {
                        throw new SubstituterException(SubstituterErrorReason.BadResponse, uri, "server ignored Range and the destination cannot rewind.", written);
                    }
                    Log.RangeIgnored(_logger, uri);
                    destination.Position = origin;
                    destination.SetLength(origin);
                    written = 0;
                }
            }
            else
            {
                throw StatusError(response, uri);
            }
            if (response.Content.Headers.ContentLength is { } length && written + length > max)
            {
                throw new SubstituterException(SubstituterErrorReason.TooLarge, uri, $"{written + length} bytes exceeds the bound {max}.", written);
            }
            await using var body = await response.Content.ReadAsStreamAsync(attemptToken.Token).ConfigureAwait(false);
            var buffer = new byte[DownloadChunkSize];
            while (true)
            {
                attemptToken.CancelAfter(_options.ReadTimeout);
                var n = await body.ReadAsync(buffer, attemptToken.Token).ConfigureAwait(false);
                if (n == 0) break;
                if (written + n > max)
                {
                    throw new SubstituterException(SubstituterErrorReason.TooLarge, uri, $"more than the bound {max} bytes.", written);
                }
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                written += n;
            }
            if (expectedSize is { } expected && written < expected)
            {
                // The connection ended early without an error: retry from here.
                throw new SubstituterException(SubstituterErrorReason.Network, uri, $"body ended at {written} of {expected} bytes.", written);
            }
            return written;
        }, cancellationToken).ConfigureAwait(false);
    }
}
