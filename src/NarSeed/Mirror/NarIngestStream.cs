using System.Threading.Channels;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Substitutes.Compression;

namespace NarSeed.Mirror;

/// <summary>
/// Where the mirror's download writes a nar. The bytes go to the temporary file as they arrive and are gathered into
/// pooled 1 MiB chunks; each full chunk is handed (shared, not copied) to two consumers on their own threads — the
/// verifier (FileHash/FileSize of the raw bytes, decoding for NarHash/NarSize) and the torrent hasher. One pass over
/// the bytes replaces reading the finished file twice; when the download ends, <see cref="CompleteAsync"/> only waits
/// for the chunks the consumers still hold. A consumer more than <see cref="ChunksInFlight"/> chunks behind makes the
/// download wait, so memory stays bounded. A server that ignores <c>Range</c> on a resumed transfer makes the download
/// rewind this stream to 0: the file is truncated and both consumers start over. Nothing here commits or seeds; the
/// caller commits only a valid result.
/// </summary>
internal sealed class NarIngestStream : Stream
{
    /// <summary>
    /// Bytes per hand-over: large, so that a consumer wakes up once per MiB rather than per network read (two pipes
    /// flushed per 16–128 KiB read cost about a fifth more CPU in bench mirror).
    /// </summary>
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Chunks a consumer may lag behind: rides out a hashing thread's scheduling delays on a busy machine;
    /// memory per nar is about this many chunks plus two (8 workers: ~50 MiB at most).</summary>
    private const int ChunksInFlight = 4;

    private readonly FileStream _file;
    private readonly NarExpectation _expected;
    private readonly bool _hybrid;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Consumers> _abandoned = [];
    private Consumers _consumers;
    private IngestChunk? _chunk;
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
        _consumers = new Consumers(expected, hybrid, cancellationToken);
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
        // The file gets every read as it arrives (a partial download shows its progress); the consumers a chunk at a time.
        await _file.WriteAsync(buffer, cancellationToken);
        while (!buffer.IsEmpty)
        {
            _chunk ??= new IngestChunk(ChunkSize);
            var n = _chunk.Fill(buffer.Span);
            buffer = buffer[n..];
            _written += n;
            if (_chunk.IsFull)
            {
                await HandOverAsync();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Write a nar being ingested asynchronously.");

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override void Flush() => _file.Flush();

    /// <summary>The download is over: hands over the last chunk, flushes the file, lets both consumers finish, and
    /// returns what they found.</summary>
    public async Task<NarIngestResult> CompleteAsync()
    {
        await HandOverAsync();
        await _file.FlushAsync(_cancellationToken);
        return await _consumers.CompleteAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        // Unfinished consumers (a failed download) are stopped and waited for, so none outlives the temporary file.
        _chunk?.Release();
        _chunk = null;
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
            _chunk?.Release();
            _chunk = null;
            foreach (var consumers in _abandoned.Append(_consumers))
            {
                consumers.Abort();
            }
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    private async ValueTask HandOverAsync()
    {
        var chunk = _chunk;
        _chunk = null;
        if (chunk is null)
        {
            return;
        }
        try
        {
            if (chunk.Length > 0)
            {
                await _consumers.PostAsync(chunk);
            }
        }
        finally
        {
            chunk.Release();
        }
    }

    private void Rewind()
    {
        _chunk?.Release();
        _chunk = null;
        _file.SetLength(0);
        _file.Position = 0;
        if (_written == 0)
        {
            return;
        }
        _written = 0;
        _consumers.Abort();
        _abandoned.Add(_consumers);
        _consumers = new Consumers(_expected, _hybrid, _cancellationToken);
    }

    /// <summary>One generation of the two consumers (a rewind starts a new one).</summary>
    private sealed class Consumers
    {
        private readonly CancellationTokenSource _stop;
        private readonly Channel<IngestChunk> _verifyChunks = NewChannel();
        private readonly Channel<IngestChunk>? _torrentChunks;
        private readonly Task<NarVerification> _verify;
        private readonly Task<NarTorrentHashes?>? _torrent;
        private bool _ended;

        public Consumers(NarExpectation expected, bool hybrid, CancellationToken cancellationToken)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _verify = Task.Run(() => VerifyAsync(expected), CancellationToken.None);
            if (expected.FileSize is { } size && size > 0 && size <= TorrentReader.MaxFileLength)
            {
                _torrentChunks = NewChannel();
                _torrent = Task.Run(() => HashTorrentAsync(size, hybrid), CancellationToken.None);
            }
        }

        public async ValueTask PostAsync(IngestChunk chunk)
        {
            chunk.Share(_torrentChunks is null ? 1 : 2);
            await PostAsync(_verifyChunks, chunk);
            if (_torrentChunks is not null)
            {
                await PostAsync(_torrentChunks, chunk);
            }
        }

        public async Task<NarIngestResult> CompleteAsync()
        {
            _ended = true;
            _verifyChunks.Writer.TryComplete();
            _torrentChunks?.Writer.TryComplete();
            var verification = await _verify;
            var hashes = _torrent is null ? null : await _torrent;
            _stop.Dispose();
            return new NarIngestResult(verification, hashes);
        }

        public void Abort()
        {
            if (_ended)
            {
                return;
            }
            _ended = true;
            _stop.Cancel();
            _verifyChunks.Writer.TryComplete();
            _torrentChunks?.Writer.TryComplete();
        }

        public async Task AbortAsync()
        {
            Abort();
            foreach (var task in new Task?[] { _verify, _torrent })
            {
                try
                {
                    if (task is not null) await task;
                }
                catch (Exception)
                {
                    // The abandoned consumer's own failure: the download's error is what the caller reports.
                }
            }
            _stop.Dispose();
        }

        private async ValueTask PostAsync(Channel<IngestChunk> channel, IngestChunk chunk)
        {
            if (channel.Writer.TryWrite(chunk))
            {
                return;
            }
            try
            {
                await channel.Writer.WriteAsync(chunk, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                chunk.Release();
                // A consumer that failed stopped both (a bug or a disk error, never the nar's bytes, which the verifier
                // reports as a mismatch): its error is the download's. Cancelled consumers just end.
                foreach (var task in new Task?[] { _verify, _torrent })
                {
                    try
                    {
                        if (task is not null) await task;
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
                throw;
            }
        }

        private async Task<NarVerification> VerifyAsync(NarExpectation expected)
        {
            try
            {
                await using var raw = new IngestChunkReadStream(_verifyChunks.Reader);
                return await NarVerifier.VerifyAsync(raw, expected, _stop.Token);
            }
            catch (Exception)
            {
                await _stop.CancelAsync();
                throw;
            }
        }

        /// <summary>The torrent's hashes, or null when the bytes were not exactly the expected size (then the FileSize
        /// check fails too, and nothing is committed).</summary>
        private async Task<NarTorrentHashes?> HashTorrentAsync(long size, bool hybrid)
        {
            try
            {
                using var hasher = new TorrentHasher(size, hybrid: hybrid);
                var overflow = false;
                await foreach (var chunk in _torrentChunks!.Reader.ReadAllAsync(_stop.Token))
                {
                    try
                    {
                        overflow |= chunk.Length > hasher.Length - hasher.BytesHashed;
                        if (!overflow)
                        {
                            hasher.Append(chunk.Memory.Span);
                        }
                    }
                    finally
                    {
                        chunk.Release();
                    }
                }
                if (overflow || !hasher.IsComplete)
                {
                    return null;
                }
                var (pieceLayer, v1Pieces) = hasher.GetHashes();
                return new NarTorrentHashes(hasher.Length, hasher.PieceLength, pieceLayer, v1Pieces);
            }
            catch (Exception)
            {
                await _stop.CancelAsync();
                throw;
            }
        }

        private static Channel<IngestChunk> NewChannel() => Channel.CreateBounded<IngestChunk>(
            new BoundedChannelOptions(ChunksInFlight)
            {
                SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
            });
    }
}
