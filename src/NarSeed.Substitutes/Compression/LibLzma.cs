using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Compression;

/// <summary>liblzma.so.5 bindings for xz and lzip decoding (lzma/base.h, lzma/container.h; lzip needs xz ≥ 5.4).</summary>
internal static unsafe partial class LibLzma
{
    private const string Library = "liblzma.so.5";

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int MemError = 5;
    public const int MemlimitError = 6;
    public const int FormatError = 7;
    public const int OptionsError = 8;
    public const int DataError = 9;
    public const int BufError = 10;

    public const int ActionRun = 0;
    public const int ActionFinish = 3;

    /// <summary>LZMA_CONCATENATED: decode concatenated .xz/.lz members as one stream, as `xz -d` does.</summary>
    public const uint Concatenated = 0x08;

    public static void Require() => NativeLibraryCheck.Require(Library, "liblzma5", "xz and lzip nars");

    /// <summary>lzma_stream from lzma/base.h (136 bytes on 64-bit); LZMA_STREAM_INIT is all zeros.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public nint Allocator;
        public nint Internal;
        public nint ReservedPtr1;
        public nint ReservedPtr2;
        public nint ReservedPtr3;
        public nint ReservedPtr4;
        public ulong SeekPos;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    [LibraryImport(Library)]
    public static partial int lzma_stream_decoder(LzmaStream* stream, ulong memlimit, uint flags);

    [LibraryImport(Library)]
    public static partial int lzma_lzip_decoder(LzmaStream* stream, ulong memlimit, uint flags);

    [LibraryImport(Library)]
    public static partial int lzma_code(LzmaStream* stream, int action);

    [LibraryImport(Library)]
    public static partial void lzma_end(LzmaStream* stream);
}
