using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Compression;

/// <summary>Decodes .xz or .lz (lzip) through liblzma, with concatenated members and a memory limit.</summary>
public sealed unsafe class LzmaDecoderStream : NativeDecoderStream
{
    private LibLzma.LzmaStream* _stream;

    /// <param name="lzip">True for lzip (.lz) input, false for xz.</param>
    public LzmaDecoderStream(Stream inner, bool lzip, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        LibLzma.Require();
        _stream = (LibLzma.LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(LibLzma.LzmaStream));
        var ret = lzip
            ? LibLzma.lzma_lzip_decoder(_stream, DecoderLimits.MaxLzmaMemory, LibLzma.Concatenated)
            : LibLzma.lzma_stream_decoder(_stream, DecoderLimits.MaxLzmaMemory, LibLzma.Concatenated);
        if (ret != LibLzma.Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new InvalidOperationException($"liblzma decoder init failed ({ret}).");
        }
    }

    protected override bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputEnded, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            _stream->NextIn = i;
            _stream->AvailIn = (nuint)input.Length;
            _stream->NextOut = o;
            _stream->AvailOut = (nuint)output.Length;
            var ret = LibLzma.lzma_code(_stream, inputEnded ? LibLzma.ActionFinish : LibLzma.ActionRun);
            consumed = input.Length - (int)_stream->AvailIn;
            produced = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            switch (ret)
            {
                case LibLzma.Ok: return false;
                case LibLzma.StreamEnd: return true;
                case LibLzma.BufError when inputEnded: throw Error(NarDecodingErrorReason.Truncated, "xz/lzip input ended early.");
                case LibLzma.BufError: return false;
                case LibLzma.MemlimitError or LibLzma.MemError:
                    throw Error(NarDecodingErrorReason.MemoryLimit, $"needs more than MaxLzmaMemory = {DecoderLimits.MaxLzmaMemory} bytes.");
                default: throw Error(NarDecodingErrorReason.Corrupt, $"liblzma error {ret}.");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_stream != null)
        {
            LibLzma.lzma_end(_stream);
            NativeMemory.Free(_stream);
            _stream = null;
        }
        base.Dispose(disposing);
    }
}
