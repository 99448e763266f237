using System.Security.Cryptography;
using System.Text;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Tests.Metainfo;

/// <summary>
/// Re-creations of libtorrent's negative test torrents (bittorrent.md §9.1, LT20 test/test_torrents/*.torrent) and of
/// the issue's rejection list, built around a valid v2 torrent of 1 MiB of zeros with 64 KiB pieces.
/// </summary>
internal static class NegativeTorrents
{
    public sealed record Case(string Name, byte[] Torrent, MetainfoErrorReason Reason, bool LibtorrentRejects);

    private static readonly byte[] Root = Convert.FromHexString("515ea9181744b817744ded9d2e8e9dc6a8450c0b0c52e24b5077f302ffbd9008");

    /// <summary>The 16 piece hashes of 64 KiB of zeros each (root of 4 zero blocks).</summary>
    private static byte[] Layer(int pieces)
    {
        var block = SHA256.HashData(new byte[16384]);
        var pair = SHA256.HashData([.. block, .. block]);
        var piece = SHA256.HashData([.. pair, .. pair]);
        return [.. Enumerable.Repeat(piece, pieces).SelectMany(p => p)];
    }

    private static string S(byte[] bytes) => $"{bytes.Length}:{Encoding.Latin1.GetString(bytes)}";

    private static string S(string text) => S(Encoding.UTF8.GetBytes(text));

    private static string FileTree(string name, long length, byte[]? root) =>
        $"9:file treed{S(name)}d0:d6:lengthi{length}e{(root is null ? "" : "11:pieces root" + S(root))}eee";

    private static byte[] Torrent(string info, string? pieceLayers = null) =>
        Encoding.Latin1.GetBytes($"d4:info{info}12:piece layers{pieceLayers ?? $"d{S(Root)}{S(Layer(16))}e"}e");

    private static string Info(string name = "test1MB", long length = 1048576, byte[]? root = null, long pieceLength = 65536,
        long metaVersion = 2, string hybrid = "", string hybridTail = "", string? tree = null) =>
        $"d{tree ?? FileTree(name, length, root ?? Root)}{hybrid}12:meta versioni{metaVersion}e4:name{S(name)}12:piece lengthi{pieceLength}e{hybridTail}e";

    public static byte[] Valid => Torrent(Info());

    /// <summary>Odd but loadable: libtorrent 2.0.8 ignores piece-layer entries for unknown roots or one-piece files.</summary>
    public static IEnumerable<Case> Tolerated()
    {
        var unknown = Enumerable.Repeat((byte)0x77, 32).ToArray();
        yield return new("v2_unknown_piece_layer_entry", Torrent(Info(), $"d{S(Root)}{S(Layer(16))}{S(unknown)}{S(Layer(16))}e"), MetainfoErrorReason.InvalidPieceLayer, false);
        yield return new("piece layer for a one-piece file", Torrent(Info(length: 65536, root: Convert.FromHexString("60aae9c7b428f87e0713e88229e18f0adf12cd7b22a0dd8a92bb2485eb7af242")),
            $"d{S(Convert.FromHexString("60aae9c7b428f87e0713e88229e18f0adf12cd7b22a0dd8a92bb2485eb7af242"))}{S(Layer(1))}e"), MetainfoErrorReason.InvalidPieceLayer, false);
    }

    public static IEnumerable<Case> All()
    {
        yield return new("v2_no_power2_piece", Torrent(Info(pieceLength: 65535)), MetainfoErrorReason.InvalidPieceLength, true);
        yield return new("v2_piece_size", Torrent(Info(pieceLength: 8192), "de"), MetainfoErrorReason.InvalidPieceLength, true);
        yield return new("v2_zero_root", Torrent(Info(root: new byte[32])), MetainfoErrorReason.InvalidPiecesRoot, true);
        yield return new("v2_zero_root_small", Torrent(Info(length: 1000, root: new byte[32]), "de"), MetainfoErrorReason.InvalidPiecesRoot, true);
        yield return new("missing pieces root", Torrent($"d9:file treed7:test1MBd0:d6:lengthi1048576eeee12:meta versioni2e4:name7:test1MB12:piece lengthi65536ee"),
            MetainfoErrorReason.InvalidPiecesRoot, true);
        yield return new("short pieces root", Torrent(Info(root: Root[..31])), MetainfoErrorReason.InvalidPiecesRoot, true);
        var badLayer = Layer(16);
        badLayer[40] ^= 1;
        yield return new("v2_invalid_piece_layer", Torrent(Info(), $"d{S(Root)}{S(badLayer)}e"), MetainfoErrorReason.InvalidPieceLayer, true);
        yield return new("v2_non_multiple_piece_layer", Torrent(Info(), $"d{S(Root)}{S([.. Layer(16), 0])}e"), MetainfoErrorReason.InvalidPieceLayer, true);
        yield return new("v2_invalid_piece_layer_size", Torrent(Info(), $"d{S(Root)}{S(Layer(15))}e"), MetainfoErrorReason.InvalidPieceLayer, true);
        yield return new("v2_unordered_files", Torrent($"d12:meta versioni2e{FileTree("test1MB", 1048576, Root)}4:name7:test1MB12:piece lengthi65536ee"),
            MetainfoErrorReason.InvalidBencoding, true);
        yield return new("v2_overlong_integer", Torrent(Info().Replace("i1048576e", "i0001048576e")), MetainfoErrorReason.InvalidBencoding, true);
        yield return new("integer overflow", Torrent(Info().Replace("i1048576e", "i99999999999999999999999e")), MetainfoErrorReason.InvalidBencoding, true);
        yield return new("meta version 3", Torrent(Info(metaVersion: 3)), MetainfoErrorReason.UnsupportedMetaVersion, true);
        yield return new("v2_mismatching_metadata (hybrid name differs from file-tree key)",
            Torrent(Info(tree: FileTree("other", 1048576, Root), hybrid: "6:lengthi1048576e", hybridTail: "6:pieces" + S(new byte[16 * 20]))),
            MetainfoErrorReason.InconsistentFiles, true);
        yield return new("hybrid length differs", Torrent(Info(hybrid: "6:lengthi1048575e", hybridTail: "6:pieces" + S(new byte[16 * 20]))),
            MetainfoErrorReason.InconsistentFiles, true);
        yield return new("hybrid v1 pieces of the wrong length", Torrent(Info(hybrid: "6:lengthi1048576e", hybridTail: "6:pieces" + S(new byte[15 * 20]))),
            MetainfoErrorReason.InvalidV1Pieces, true);
        yield return new("v2_deep_recursion", Torrent(Info(tree: "9:file tree" + string.Concat(Enumerable.Repeat("d1:a", 2000)) + "d0:d6:lengthi1e11:pieces root" + S(Root) + "ee" + new string('e', 2000))),
            MetainfoErrorReason.InvalidBencoding, true);
        yield return new("v2_large_file", Torrent(Info(length: TorrentReader.MaxFileLength + 1), "de"), MetainfoErrorReason.InvalidLength, true);
        yield return new("zero length", Torrent(Info(length: 0), "de"), MetainfoErrorReason.InvalidLength, true);
        yield return new("v2_multiple_files", Torrent($"d9:file treed1:ad0:d6:lengthi5e11:pieces root{S(Root)}ee1:bd0:d6:lengthi5e11:pieces root{S(Root)}eee12:meta versioni2e4:name1:x12:piece lengthi65536ee", "de"),
            MetainfoErrorReason.NotSingleFile, false);
        yield return new("a directory", Torrent($"d9:file treed3:dird1:ad0:d6:lengthi5e11:pieces root{S(Root)}eeee12:meta versioni2e4:name3:dir12:piece lengthi65536ee", "de"),
            MetainfoErrorReason.NotSingleFile, false);
        yield return new("no info", Encoding.Latin1.GetBytes("d8:announce3:urle"), MetainfoErrorReason.MissingInfo, true);
        foreach (var c in V1()) yield return c;
    }

    /// <summary>A v1-only info dict (100,000 bytes in pieces of 16 KiB: 7 pieces), with one field changed.</summary>
    public static string V1Info(string length = "i100000e", string? name = "1:a", string? pieceLength = "i16384e",
        int hashes = 7, string extra = "", string? pieces = null) =>
        $"d{extra}{(length.Length > 0 ? "6:length" + length : "")}{(name is null ? "" : "4:name" + name)}" +
        $"{(pieceLength is null ? "" : "12:piece length" + pieceLength)}{pieces ?? "6:pieces" + S(new byte[hashes * 20])}e";

    public static byte[] V1Torrent(string info) => Encoding.Latin1.GetBytes($"d4:info{info}e");

    /// <summary>libtorrent 2.0.8's rejections of v1-only torrents (measured with python3-libtorrent), and NarSeed's own.</summary>
    public static IEnumerable<Case> V1()
    {
        yield return new("v1 pieces one hash short", V1Torrent(V1Info(hashes: 6)), MetainfoErrorReason.InvalidV1Pieces, true);
        yield return new("v1 pieces one hash long", V1Torrent(V1Info(hashes: 8)), MetainfoErrorReason.InvalidV1Pieces, true);
        yield return new("v1 pieces not a multiple of 20", V1Torrent(V1Info(pieces: "6:pieces" + S(new byte[7 * 20 - 1]))), MetainfoErrorReason.InvalidV1Pieces, true);
        yield return new("v1 pieces missing", V1Torrent(V1Info(pieces: "")), MetainfoErrorReason.InvalidV1Pieces, true);
        yield return new("v1 piece length missing", V1Torrent(V1Info(pieceLength: null)), MetainfoErrorReason.InvalidPieceLength, true);
        yield return new("v1 piece length zero", V1Torrent(V1Info(pieceLength: "i0e", hashes: 0)), MetainfoErrorReason.InvalidPieceLength, true);
        yield return new("v1 piece length negative", V1Torrent(V1Info(pieceLength: "i-16384e", hashes: 0)), MetainfoErrorReason.InvalidPieceLength, true);
        yield return new("v1 piece length 1 GiB", V1Torrent(V1Info(pieceLength: "i1073741824e", hashes: 1)), MetainfoErrorReason.InvalidPieceLength, true);
        yield return new("v1 length negative", V1Torrent(V1Info(length: "i-5e", hashes: 0)), MetainfoErrorReason.InvalidLength, true);
        yield return new("v1 length zero", V1Torrent(V1Info(length: "i0e", hashes: 0)), MetainfoErrorReason.InvalidLength, true);
        yield return new("v1 length missing", V1Torrent(V1Info(length: "", hashes: 0)), MetainfoErrorReason.InvalidLength, true);
        yield return new("v1 name missing", V1Torrent(V1Info(name: null)), MetainfoErrorReason.InvalidName, true);
        yield return new("v1 name empty", V1Torrent(V1Info(name: "0:")), MetainfoErrorReason.InvalidName, true);
        yield return new("v1 name ..", V1Torrent(V1Info(name: "2:..")), MetainfoErrorReason.InvalidName, true);
        // libtorrent sanitises these and loads them; NarSeed refuses them (single-file torrents only, safe file names).
        yield return new("v1 name with a slash", V1Torrent(V1Info(name: "3:a/b")), MetainfoErrorReason.InvalidName, false);
        yield return new("v1 multi-file", V1Torrent($"d5:filesld6:lengthi5e4:pathl1:xeee4:name1:a12:piece lengthi16384e6:pieces{S(new byte[20])}e"),
            MetainfoErrorReason.NotSingleFile, false);
    }
}
