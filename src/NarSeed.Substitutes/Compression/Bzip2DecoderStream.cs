using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Compression;

/// <summary>Decodes bzip2 through libbz2, including concatenated streams (as pbzip2 writes and `bzip2 -d` reads).</summary>
public sealed unsafe class Bzip2DecoderStream : NativeDecoderStream
{
    private LibBzip2.BzStream* _stream;
    private bool _active;

    public Bzip2DecoderStream(Stream inner, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        LibBzip2.Require();
        _stream = (LibBzip2.BzStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibBzip2.BzStream));
    }

    protected override bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputEnded, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        consumed = produced = 0;
        while (true)
        {
            if (!_active)
            {
                if (consumed == input.Length) return inputEnded;
                var init = LibBzip2.BZ2_bzDecompressInit(_stream, 0, 0);
                if (init != LibBzip2.Ok) throw new InvalidOperationException($"BZ2_bzDecompressInit failed ({init}).");
                _active = true;
            }
            int ret;
            fixed (byte* i = input)
            fixed (byte* o = output)
            {
                var inLeft = input.Length - consumed;
                var outLeft = output.Length - produced;
                _stream->NextIn = i + consumed;
                _stream->AvailIn = (uint)inLeft;
                _stream->NextOut = o + produced;
                _stream->AvailOut = (uint)outLeft;
                ret = LibBzip2.BZ2_bzDecompress(_stream);
                consumed += inLeft - (int)_stream->AvailIn;
                produced += outLeft - (int)_stream->AvailOut;
                _stream->NextIn = null;
                _stream->NextOut = null;
            }
            switch (ret)
            {
                case LibBzip2.StreamEnd:
                    LibBzip2.BZ2_bzDecompressEnd(_stream);
                    _active = false;
                    if (produced == output.Length) return false;
                    continue; // Another stream may follow in the same input.
                case LibBzip2.Ok:
                    return false;
                case LibBzip2.MemError:
                    throw Error(NarDecodingErrorReason.MemoryLimit, "libbz2 out of memory.");
                default:
                    throw Error(NarDecodingErrorReason.Corrupt, $"libbz2 error {ret}.");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_stream != null)
        {
            if (_active) LibBzip2.BZ2_bzDecompressEnd(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
        base.Dispose(disposing);
    }
}
