namespace NarSeed.Substitutes.Compression;

/// <summary>
/// A read-only stream that pulls compressed bytes from an inner stream and runs a native decoder step by step.
/// Subclasses implement <see cref="Decode"/>; this class handles buffering, async refills, truncation and disposal.
/// </summary>
public abstract class NativeDecoderStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _input = new byte[DecoderLimits.InputBufferSize];
    private int _inputStart;
    private int _inputEnd;
    private bool _innerEnded;
    private bool _finished;
    private long _consumed;

    protected NativeDecoderStream(Stream inner, bool leaveOpen)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _leaveOpen = leaveOpen;
    }

    /// <summary>Compressed bytes consumed so far.</summary>
    public long CompressedBytesConsumed => _consumed;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// One decoder step. Returns true when the compressed stream has ended (all output delivered). With
    /// <paramref name="inputEnded"/> the decoder must either finish or report truncation.
    /// </summary>
    protected abstract bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputEnded, out int consumed, out int produced);

    protected NarDecodingException Error(NarDecodingErrorReason reason, string detail) => new(reason, _consumed, detail);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryStep(buffer, out var produced)) return produced;
            Refill(_inner.Read(_input, _inputEnd, _input.Length - _inputEnd));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryStep(buffer.Span, out var produced)) return produced;
            Refill(await _inner.ReadAsync(_input.AsMemory(_inputEnd, _input.Length - _inputEnd), cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Decodes what is buffered; false when more input is needed.</summary>
    private bool TryStep(Span<byte> buffer, out int produced)
    {
        produced = 0;
        if (buffer.IsEmpty || _finished) return true;
        while (true)
        {
            if (_inputStart == _inputEnd && !_innerEnded)
            {
                _inputStart = _inputEnd = 0;
                return false;
            }
            var ended = Decode(_input.AsSpan(_inputStart, _inputEnd - _inputStart), buffer, _innerEnded, out var consumed, out produced);
            _inputStart += consumed;
            _consumed += consumed;
            if (ended)
            {
                _finished = true;
                return true;
            }
            if (produced > 0) return true;
            if (consumed == 0)
            {
                if (_innerEnded) throw Error(NarDecodingErrorReason.Truncated, "the compressed stream ended early.");
                Compact();
                return false;
            }
        }
    }

    private void Compact()
    {
        var remaining = _inputEnd - _inputStart;
        if (remaining == _input.Length) throw Error(NarDecodingErrorReason.Corrupt, "the decoder made no progress.");
        Buffer.BlockCopy(_input, _inputStart, _input, 0, remaining);
        _inputStart = 0;
        _inputEnd = remaining;
    }

    private void Refill(int read)
    {
        if (read == 0) _innerEnded = true;
        _inputEnd += read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
