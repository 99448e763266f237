namespace NarSeed.Substitutes.Compression;

/// <summary>Decodes zstd (one or more frames) through libzstd, with the window limited to 2^27 bytes.</summary>
public sealed unsafe class ZstdDecoderStream : NativeDecoderStream
{
    private nint _context;
    private bool _frameOpen;

    public ZstdDecoderStream(Stream inner, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        LibZstd.Require();
        _context = LibZstd.ZSTD_createDCtx();
        if (_context == 0) throw new InvalidOperationException("ZSTD_createDCtx failed.");
        var r = LibZstd.ZSTD_DCtx_setParameter(_context, LibZstd.ParameterWindowLogMax, DecoderLimits.MaxZstdWindowLog);
        if (LibZstd.ZSTD_isError(r) != 0) throw new InvalidOperationException("ZSTD_d_windowLogMax: " + LibZstd.ErrorName(r));
    }

    protected override bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputEnded, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_context == 0, this);
        if (input.IsEmpty && inputEnded && !_frameOpen)
        {
            consumed = produced = 0;
            return true;
        }
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            var inBuffer = new LibZstd.InBuffer { Source = i, Size = (nuint)input.Length };
            var outBuffer = new LibZstd.OutBuffer { Destination = o, Size = (nuint)output.Length };
            var ret = LibZstd.ZSTD_decompressStream(_context, &outBuffer, &inBuffer);
            consumed = (int)inBuffer.Position;
            produced = (int)outBuffer.Position;
            if (LibZstd.ZSTD_isError(ret) != 0)
            {
                var name = LibZstd.ErrorName(ret);
                throw Error(name.Contains("window", StringComparison.OrdinalIgnoreCase) || name.Contains("memory", StringComparison.OrdinalIgnoreCase)
                    ? NarDecodingErrorReason.MemoryLimit : NarDecodingErrorReason.Corrupt, "zstd: " + name);
            }
            // 0 means the frame is complete and flushed; anything else means more input or output is pending.
            _frameOpen = ret != 0;
            if (input.IsEmpty && inputEnded && produced == 0 && _frameOpen)
            {
                throw Error(NarDecodingErrorReason.Truncated, "zstd input ended inside a frame.");
            }
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_context != 0)
        {
            LibZstd.ZSTD_freeDCtx(_context);
            _context = 0;
        }
        base.Dispose(disposing);
    }
}
