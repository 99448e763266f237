using System.Threading.Channels;

namespace NarSeed.Mirror;

/// <summary>The chunks of one ingest consumer as a read-only stream (for the verifier, which pulls its input);
/// each chunk is released once read. Ends when the channel is completed.</summary>
internal sealed class IngestChunkReadStream(ChannelReader<IngestChunk> chunks) : Stream
{
    private IngestChunk? _current;
    private int _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current is null || _offset == _current.Length)
        {
            _current?.Release();
            _current = null;
            if (!await chunks.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }
            if (chunks.TryRead(out var next))
            {
                (_current, _offset) = (next, 0);
            }
        }
        var n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.Memory.Span.Slice(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read ingest chunks asynchronously.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Release();
            _current = null;
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
