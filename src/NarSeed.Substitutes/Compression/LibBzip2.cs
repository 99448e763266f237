using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Compression;

/// <summary>libbz2.so.1.0 decompression bindings (bzlib.h).</summary>
internal static unsafe partial class LibBzip2
{
    private const string Library = "libbz2.so.1.0";

    public const int Ok = 0;
    public const int StreamEnd = 4;
    public const int MemError = -3;
    public const int DataError = -4;
    public const int DataErrorMagic = -5;

    public static void Require() => NativeLibraryCheck.Require(Library, "libbz2-1.0", "bzip2 nars");

    /// <summary>bz_stream from bzlib.h. libbz2 remembers its address, so it must live in native memory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BzStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public uint TotalInLo32;
        public uint TotalInHi32;
        public byte* NextOut;
        public uint AvailOut;
        public uint TotalOutLo32;
        public uint TotalOutHi32;
        public nint State;
        public nint BzAlloc;
        public nint BzFree;
        public nint Opaque;
    }

    [LibraryImport(Library)]
    public static partial int BZ2_bzDecompressInit(BzStream* stream, int verbosity, int small);

    [LibraryImport(Library)]
    public static partial int BZ2_bzDecompress(BzStream* stream);

    [LibraryImport(Library)]
    public static partial int BZ2_bzDecompressEnd(BzStream* stream);
}
