using System.Buffers;
using System.IO.Pipelines;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Substitutes.Compression;

namespace NarSeed.Mirror;

/// <summary>
/// Where the mirror's download writes a nar: every chunk goes to the temporary file and, through two bounded pipes,
/// to the verifier (FileHash/FileSize of the raw bytes, decoding for NarHash/NarSize) and to the torrent hasher, each
/// working on its own thread while the next chunks arrive. One pass over the bytes replaces reading the finished file
/// twice; when the download ends, <see cref="CompleteAsync"/> waits for the consumers' last buffered bytes only.
/// A server that ignores <c>Range</c> on a resumed transfer makes the download rewind this stream to 0: the file is
/// truncated and both consumers start over. Nothing here commits or seeds: the caller commits only a valid result.
/// </summary>
internal sealed class NarIngestStream : Stream
{
    /// <summary>
    /// Bytes a pipe buffers before the download waits for its consumer. Enough to ride out scheduling hiccups of a
    /// hashing thread; bounded so that memory is at most workers × 2 pipes × this (8 × 2 × 4 MiB by default).
    /// </summary>
    private const long PauseWriterThreshold = 4 * 1024 * 1024;

    /// <summary>The download resumes once its consumer has caught up to half the bound.</summary>
    private const long ResumeWriterThreshold = PauseWriterThreshold / 2;

    /// <summary>Pipe segments: a few per 128 KiB download chunk rather than thirty-two 4 KiB ones.</summary>
    private const int MinimumSegmentSize = 64 * 1024;

    private readonly FileStream _file;
    private readonly NarExpectation _expected;
    private readonly bool _hybrid;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Consumers> _abandoned = [];
    private Consumers _consumers;
    private long _written;

    /// <param name="file">The temporary file, positioned at 0.</param>
    /// <param name="expected">What the narinfo promises; without a FileSize the torrent is not hashed on the way
    /// (its piece length depends on the size), and <see cref="NarIngestResult.Torrent"/> is null.</param>
    public NarIngestStream(FileStream file, NarExpectation expected, bool hybrid, CancellationToken cancellationToken)
    {
        _file = file;
        _expected = expected;
        _hybrid = hybrid;
        _cancellationToken = cancellationToken;
        _consumers = StartConsumers();
    }

    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _written;

    /// <summary>Only a rewind to 0 is possible (a download starting over).</summary>
    public override long Position
    {
        get => _written;
        set
        {
            if (value != 0) throw new NotSupportedException("A nar being ingested can only start over from byte 0.");
            Rewind();
        }
    }

    public override void SetLength(long value)
    {
        if (value != 0) throw new NotSupportedException("A nar being ingested can only be truncated to 0 bytes.");
        Rewind();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _file.WriteAsync(buffer, cancellationToken);
        await _consumers.WriteAsync(buffer, cancellationToken);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Write a nar being ingested asynchronously.");

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override void Flush() => _file.Flush();

    /// <summary>The download is over: flushes the file, lets both consumers finish, and returns what they found.</summary>
    public async Task<NarIngestResult> CompleteAsync()
    {
        await _file.FlushAsync(_cancellationToken);
        return await _consumers.CompleteAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        // Unfinished consumers (a failed download) are stopped and waited for, so none outlives the temporary file.
        foreach (var consumers in _abandoned.Append(_consumers))
        {
            await consumers.AbortAsync();
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var consumers in _abandoned.Append(_consumers))
            {
                consumers.Abort();
            }
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    private void Rewind()
    {
        _file.SetLength(0);
        _file.Position = 0;
        if (_written == 0)
        {
            return;
        }
        _written = 0;
        _consumers.Abort();
        _abandoned.Add(_consumers);
        _consumers = StartConsumers();
    }

    private Consumers StartConsumers()
    {
        var options = new PipeOptions(pauseWriterThreshold: PauseWriterThreshold,
            resumeWriterThreshold: ResumeWriterThreshold, minimumSegmentSize: MinimumSegmentSize,
            useSynchronizationContext: false);
        var verifyPipe = new Pipe(options);
        var verify = Task.Run(() => VerifyAsync(verifyPipe.Reader, _expected, _cancellationToken), _cancellationToken);
        if (_expected.FileSize is not { } size || size <= 0 || size > TorrentReader.MaxFileLength)
        {
            return new Consumers(verifyPipe, verify, null, null);
        }
        var torrentPipe = new Pipe(options);
        var torrent = Task.Run(() => HashTorrentAsync(torrentPipe.Reader, size, _hybrid, _cancellationToken),
            _cancellationToken);
        return new Consumers(verifyPipe, verify, torrentPipe, torrent);
    }

    private static async Task<NarVerification> VerifyAsync(
        PipeReader reader, NarExpectation expected, CancellationToken cancellationToken)
    {
        await using var raw = reader.AsStream();
        return await NarVerifier.VerifyAsync(raw, expected, cancellationToken);
    }

    /// <summary>The torrent's hashes, or null when the bytes were not exactly the expected size (then the FileSize
    /// check fails too, and nothing is committed).</summary>
    private static async Task<NarTorrentHashes?> HashTorrentAsync(
        PipeReader reader, long size, bool hybrid, CancellationToken cancellationToken)
    {
        using var hasher = new TorrentHasher(size, hybrid: hybrid);
        var overflow = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
                {
                    if (overflow || segment.Length > hasher.Length - hasher.BytesHashed)
                    {
                        overflow = true;
                        break;
                    }
                    hasher.Append(segment.Span);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
            await reader.CompleteAsync();
        }
        catch (Exception e)
        {
            await reader.CompleteAsync(e);
            throw;
        }
        if (overflow || !hasher.IsComplete)
        {
            return null;
        }
        var (pieceLayer, v1Pieces) = hasher.GetHashes();
        return new NarTorrentHashes(hasher.Length, hasher.PieceLength, pieceLayer, v1Pieces);
    }

    /// <summary>One generation of consumers (a rewind starts a new one).</summary>
    private sealed class Consumers(Pipe verifyPipe, Task<NarVerification> verify, Pipe? torrentPipe, Task<NarTorrentHashes?>? torrent)
    {
        private bool _verifyDone;
        private bool _torrentDone = torrentPipe is null;
        private bool _ended;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            if (!_verifyDone)
            {
                verifyPipe.Writer.Write(buffer.Span);
            }
            if (!_torrentDone)
            {
                torrentPipe!.Writer.Write(buffer.Span);
            }
            // Both flushes in flight at once: the download waits for the slower consumer only when its pipe is full.
            var verifyFlush = _verifyDone ? default : verifyPipe.Writer.FlushAsync(cancellationToken);
            var torrentFlush = _torrentDone ? default : torrentPipe!.Writer.FlushAsync(cancellationToken);
            // A consumer that stopped reading has ended: one that failed fails the download here (a bug or a
            // cancellation, never the nar's bytes, which the verifier reports as a mismatch), else at completion.
            if (!_verifyDone && (await verifyFlush).IsCompleted)
            {
                _verifyDone = true;
                if (verify.IsCompleted) await verify;
            }
            if (!_torrentDone && (await torrentFlush).IsCompleted)
            {
                _torrentDone = true;
                if (torrent!.IsCompleted) await torrent;
            }
        }

        public async Task<NarIngestResult> CompleteAsync()
        {
            _ended = true;
            await verifyPipe.Writer.CompleteAsync();
            if (torrentPipe is not null)
            {
                await torrentPipe.Writer.CompleteAsync();
            }
            var verification = await verify;
            var hashes = torrent is null ? null : await torrent;
            return new NarIngestResult(verification, hashes);
        }

        public void Abort()
        {
            if (_ended)
            {
                return;
            }
            _ended = true;
            var stop = new OperationCanceledException("The nar download was abandoned.");
            verifyPipe.Writer.Complete(stop);
            torrentPipe?.Writer.Complete(stop);
        }

        public async Task AbortAsync()
        {
            Abort();
            try
            {
                await verify;
            }
            catch (Exception)
            {
                // The abandoned consumer's own failure: the download's error is what the caller reports.
            }
            try
            {
                if (torrent is not null) await torrent;
            }
            catch (Exception)
            {
                // As above.
            }
        }
    }
}
