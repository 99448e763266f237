using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using NarSeed.Substitutes.Http;

namespace NarSeed.Proxy;

public sealed partial class NarFetcher
{
    /// <summary>
    /// Streams the nar from the upstream that answered the narinfo (its URL field), through the substituter client
    /// (bounded reads, retries that resume with Range). Headers go out with the first byte, so a failure before it is
    /// a clean 404 — also when no byte came within <see cref="ProxyOptions.OriginFirstByteTimeout"/>.
    /// </summary>
    private async Task<FetchRecord> FromOriginAsync(HttpContext context, ProxiedNar nar, CancellationToken cancellationToken)
    {
        var temporary = _cache.NewTemporaryPath();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstByte.CancelAfter(_options.OriginFirstByteTimeout);
        var sink = new CommitOnFirstWrite(context, nar.FileSize, temporary, hash,
            onFirstWrite: () => firstByte.CancelAfter(Timeout.InfiniteTimeSpan));
        try
        {
            long written;
            await using (sink.ConfigureAwait(false))
            {
                written = await nar.Client.DownloadNarAsync(nar.OriginNar.AbsoluteUri, sink, nar.FileSize, firstByte.Token)
                    .ConfigureAwait(false);
            }
            if (MatchesFileHash(nar, hash.GetHashAndReset()))
            {
                _cache.Add(temporary, nar.NarFileName);
            }
            return new FetchRecord(nar.HashPart, FetchSource.Origin, written, 0, 0, written, 0, 0, 0);
        }
        catch (Exception e) when (e is SubstituterException or HttpRequestException or IOException or OperationCanceledException)
        {
            if (sink.Written == 0 && !context.Response.HasStarted)
            {
                var reason = firstByte.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    ? $"no byte within {_options.OriginFirstByteTimeout.TotalSeconds:0.#} s"
                    : e.Message;
                ProxyLog.FetchFailed(_logger, nar.HashPart, reason);
                return await FailAsync(context, nar).ConfigureAwait(false);
            }
            ProxyLog.FetchBroken(_logger, nar.HashPart, sink.Written, e.Message);
            context.Abort();
            return new FetchRecord(nar.HashPart, FetchSource.Failed, sink.Written, 0, 0, sink.Written, 0, 0, 0);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Sends the response headers only when the first byte is there, then writes to Nix and the cache file.</summary>
    private sealed class CommitOnFirstWrite(
        HttpContext context, long? length, string cachePath, IncrementalHash hash, Action onFirstWrite) : Stream
    {
        private FileStream? _file;

        public long Written { get; private set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty) return;
            if (_file is null)
            {
                onFirstWrite();
                Start(context, length);
                _file = new FileStream(cachePath, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            }
            hash.AppendData(buffer.Span);
            await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask DisposeAsync()
        {
            if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _file?.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
