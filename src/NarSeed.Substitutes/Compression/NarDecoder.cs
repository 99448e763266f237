using System.IO.Compression;

namespace NarSeed.Substitutes.Compression;

/// <summary>Opens a decoding stream for a compressed nar.</summary>
public static class NarDecoder
{
    public static bool CanDecode(CompressionMethod method) => method is CompressionMethod.None or CompressionMethod.Xz
        or CompressionMethod.Lzip or CompressionMethod.Zstd or CompressionMethod.Bzip2 or CompressionMethod.Gzip
        or CompressionMethod.Brotli;

    /// <summary>A read-only stream of the decoded nar. Throws <see cref="NarDecodingException"/> (Unsupported) for others.</summary>
    public static Stream Open(CompressionMethod method, Stream compressed, bool leaveOpen = false) => method switch
    {
        CompressionMethod.None => leaveOpen ? new NonClosingStream(compressed) : compressed,
        CompressionMethod.Xz => new LzmaDecoderStream(compressed, lzip: false, leaveOpen),
        CompressionMethod.Lzip => new LzmaDecoderStream(compressed, lzip: true, leaveOpen),
        CompressionMethod.Zstd => new ZstdDecoderStream(compressed, leaveOpen),
        CompressionMethod.Bzip2 => new Bzip2DecoderStream(compressed, leaveOpen),
        CompressionMethod.Gzip => new ErrorMappingStream(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen)),
        CompressionMethod.Brotli => new ErrorMappingStream(new BrotliStream(compressed, CompressionMode.Decompress, leaveOpen)),
        _ => throw new NarDecodingException(NarDecodingErrorReason.Unsupported, 0, $"no decoder for '{method.ToName()}'."),
    };

    /// <summary>Turns the BCL decoders' InvalidDataException / InvalidOperationException into <see cref="NarDecodingException"/>.</summary>
    private sealed class ErrorMappingStream(Stream inner) : Stream
    {
        private long _produced;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                var n = inner.Read(buffer);
                _produced += n;
                return n;
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
            {
                throw new NarDecodingException(NarDecodingErrorReason.Corrupt, -1, $"{e.Message} (after {_produced} decoded bytes)");
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                _produced += n;
                return n;
            }
            catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
            {
                throw new NarDecodingException(NarDecodingErrorReason.Corrupt, -1, $"{e.Message} (after {_produced} decoded bytes)");
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
