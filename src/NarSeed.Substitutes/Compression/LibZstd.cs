using System.Runtime.InteropServices;

namespace NarSeed.Substitutes.Compression;

/// <summary>libzstd.so.1 streaming decompression bindings (zstd.h).</summary>
internal static unsafe partial class LibZstd
{
    private const string Library = "libzstd.so.1";

    /// <summary>ZSTD_d_windowLogMax (zstd.h ZSTD_dParameter).</summary>
    public const int ParameterWindowLogMax = 100;

    public static void Require() => NativeLibraryCheck.Require(Library, "libzstd1", "zstd nars");

    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public byte* Source;
        public nuint Size;
        public nuint Position;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public byte* Destination;
        public nuint Size;
        public nuint Position;
    }

    [LibraryImport(Library)]
    public static partial nint ZSTD_createDCtx();

    [LibraryImport(Library)]
    public static partial nuint ZSTD_freeDCtx(nint context);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_DCtx_setParameter(nint context, int parameter, int value);

    [LibraryImport(Library)]
    public static partial nuint ZSTD_decompressStream(nint context, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library)]
    public static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    public static partial byte* ZSTD_getErrorName(nuint code);

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi((nint)ZSTD_getErrorName(code)) ?? "unknown";
}
