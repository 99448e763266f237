using System.Security.Cryptography;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// Reads and validates single-file v1, v2 and hybrid .torrent files, rejecting what libtorrent's torrent_info rejects
/// (bittorrent.md §2.1, §2.4, §3, §9.1) with a <see cref="MetainfoException"/> naming the reason. Multi-file
/// torrents (a v1 <c>files</c> list, a v2 file tree with more than one entry) are rejected with
/// <see cref="MetainfoErrorReason.NotSingleFile"/>: NarSeed makes and fetches one torrent per nar.
/// </summary>
public static class TorrentReader
{
    /// <summary>
    /// The largest file libtorrent 2.0.8's file_storage accepts (measured: add_file refuses anything larger,
    /// "File too large"): 16 TiB − 16 KiB.
    /// </summary>
    public const long MaxFileLength = 17_592_186_028_032;

    /// <summary>libtorrent rejects meta versions above 2 (torrent_unknown_version).</summary>
    public const int MaxMetaVersion = 2;

    /// <summary>
    /// The largest piece length libtorrent 2.0.8 loads (measured: 2^30 is refused as
    /// "invalid or missing 'piece length'"), the bound of its <c>piece_length &gt; int max / 2</c> check.
    /// </summary>
    public const int MaxPieceLength = int.MaxValue / 2;

    private const int V1HashSize = 20;

    public static TorrentInfo Read(ReadOnlyMemory<byte> torrentFile, BencodeLimits? limits = null)
    {
        BencodeValue parsed;
        try
        {
            parsed = BencodeValue.Parse(torrentFile, limits);
        }
        catch (BencodeException e)
        {
            throw MetainfoException.FromBencode(e);
        }
        if (parsed is not BencodeDictionary root || root.Get<BencodeDictionary>("info") is not { } info)
        {
            throw Fail(MetainfoErrorReason.MissingInfo, "no info dictionary");
        }

        var metaVersion = info.Get<BencodeInteger>("meta version")?.Value;
        if (metaVersion > MaxMetaVersion)
            throw Fail(MetainfoErrorReason.UnsupportedMetaVersion, $"meta version {metaVersion}");
        // libtorrent reads any info dict without meta version 2 (absent, 0 or 1) as v1 and ignores a file tree there.
        if (metaVersion != 2) return ReadV1Only(root, info);

        var pieceLength = info.Get<BencodeInteger>("piece length")?.Value ?? 0;
        if (!MerkleTree.IsPowerOfTwo(pieceLength) || pieceLength < MerkleGeometry.MinPieceLength || pieceLength > int.MaxValue / 2 + 1)
            throw Fail(MetainfoErrorReason.InvalidPieceLength, $"piece length {pieceLength}");

        var name = ReadName(info.Get<BencodeString>("name"), "name");
        var (fileName, length, piecesRoot) = ReadFileTree(info);
        var geometry = new MerkleGeometry(length, pieceLength);

        var v1Pieces = ReadOnlyMemory<byte>.Empty;
        var isHybrid = info.ContainsKey("pieces") || info.ContainsKey("length") || info.ContainsKey("files");
        if (isHybrid)
        {
            if (info.ContainsKey("files") || info.Get<BencodeInteger>("length")?.Value != length || name != fileName)
                throw Fail(MetainfoErrorReason.InconsistentFiles, "the v1 name/length disagree with the v2 file tree");
            v1Pieces = info.Get<BencodeString>("pieces")?.Bytes ?? ReadOnlyMemory<byte>.Empty;
            if (v1Pieces.Length != (long)geometry.PieceCount * V1HashSize)
                throw Fail(MetainfoErrorReason.InvalidV1Pieces,
                    $"pieces is {v1Pieces.Length} bytes, expected {(long)geometry.PieceCount * V1HashSize}");
        }

        var pieceLayer = ReadPieceLayers(root, geometry, piecesRoot);
        var raw = info.Encoded;
        var v2 = SHA256.HashData(raw.Span);
        ReadOnlyMemory<byte>? v1 = isHybrid ? new ReadOnlyMemory<byte>(SHA1.HashData(raw.Span)) : (ReadOnlyMemory<byte>?)null;
        return new TorrentInfo(v1, v2, name, length, (int)pieceLength, piecesRoot, pieceLayer, v1Pieces, raw,
            ReadWebSeeds(root), ReadTrackers(root));
    }

    /// <summary>
    /// A BEP 3 single-file info dict, checked as libtorrent 2.0.8 checks it (measured with python3-libtorrent): a
    /// piece length from 1 to <see cref="MaxPieceLength"/> (v1 has no power-of-two rule), a length from 1 byte
    /// (libtorrent refuses an empty torrent, "invalid length of torrent"), <c>pieces</c> of exactly
    /// 20·ceil(length / piece length) bytes, and a name. NarSeed is stricter on the name: it must be a single path
    /// element (libtorrent sanitises a name with "/" instead), because it names the file written to disk.
    /// </summary>
    private static TorrentInfo ReadV1Only(BencodeDictionary root, BencodeDictionary info)
    {
        if (info.ContainsKey("files"))
            throw Fail(MetainfoErrorReason.NotSingleFile, "a v1 multi-file torrent (files list)");
        var pieceLength = info.Get<BencodeInteger>("piece length")?.Value ?? 0;
        if (pieceLength <= 0 || pieceLength > MaxPieceLength)
            throw Fail(MetainfoErrorReason.InvalidPieceLength, $"piece length {pieceLength}");
        var name = ReadName(info.Get<BencodeString>("name"), "name");
        var length = info.Get<BencodeInteger>("length")?.Value ?? -1;
        if (length <= 0 || length > MaxFileLength)
            throw Fail(MetainfoErrorReason.InvalidLength, $"file length {length}");
        var pieceCount = (length + pieceLength - 1) / pieceLength;
        var pieces = info.Get<BencodeString>("pieces")?.Bytes;
        if (pieces is not { } v1Pieces || v1Pieces.Length != pieceCount * V1HashSize)
            throw Fail(MetainfoErrorReason.InvalidV1Pieces,
                $"pieces is {pieces?.Length.ToString() ?? "missing"}, expected {pieceCount * V1HashSize} bytes");
        var raw = info.Encoded;
        return new TorrentInfo(SHA1.HashData(raw.Span), null, name, length, (int)pieceLength, ReadOnlyMemory<byte>.Empty,
            ReadOnlyMemory<byte>.Empty, v1Pieces, raw, ReadWebSeeds(root), ReadTrackers(root));
    }

    private static (string Name, long Length, ReadOnlyMemory<byte> Root) ReadFileTree(BencodeDictionary info)
    {
        if (info.Get<BencodeDictionary>("file tree") is not { } tree || tree.Entries.Count == 0)
            throw Fail(MetainfoErrorReason.InvalidFileTree, "missing or empty file tree");
        if (tree.Entries.Count > 1)
            throw Fail(MetainfoErrorReason.NotSingleFile, "more than one entry at the top of the file tree");
        var (key, value) = tree.Entries[0];
        if (key.IsEmpty)
            throw Fail(MetainfoErrorReason.InvalidFileTree, "the file tree root cannot be a file");
        var fileName = ReadName(new BencodeStringView(key), "file-tree key");
        if (value is not BencodeDictionary node)
            throw Fail(MetainfoErrorReason.InvalidFileTree, "a file-tree node is not a dictionary");
        // libtorrent treats a node as a file only if its single key is "" (extract_files2).
        if (node.Entries.Count != 1 || !node.Entries[0].Key.IsEmpty)
            throw Fail(MetainfoErrorReason.NotSingleFile, "the top file-tree entry is a directory");
        if (node.Entries[0].Value is not BencodeDictionary file)
            throw Fail(MetainfoErrorReason.InvalidFileTree, "a file entry is not a dictionary");
        var length = file.Get<BencodeInteger>("length")?.Value ?? -1;
        if (length <= 0 || length > MaxFileLength)
            throw Fail(MetainfoErrorReason.InvalidLength, $"file length {length}");
        var root = file.Get<BencodeString>("pieces root")?.Bytes ?? ReadOnlyMemory<byte>.Empty;
        if (root.Length != MerkleTree.HashSize || !root.Span.ContainsAnyExcept((byte)0))
            throw Fail(MetainfoErrorReason.InvalidPiecesRoot, "missing, short or all-zero pieces root");
        return (fileName, length, root);
    }

    private static ReadOnlyMemory<byte> ReadPieceLayers(BencodeDictionary root, MerkleGeometry geometry, ReadOnlyMemory<byte> piecesRoot)
    {
        if (!root.TryGetValue("piece layers", out var value))
            return ReadOnlyMemory<byte>.Empty; // tolerated like libtorrent: hashes then come from peers
        if (value is not BencodeDictionary layers)
            throw Fail(MetainfoErrorReason.InvalidPieceLayer, "piece layers is not a dictionary");
        var layer = ReadOnlyMemory<byte>.Empty;
        foreach (var (key, entry) in layers.Entries)
        {
            // libtorrent 2.0.8 loads torrents with entries for unknown roots (and for files of one piece): ignored.
            if (!geometry.HasPieceLayer || !key.Span.SequenceEqual(piecesRoot.Span)) continue;
            if (entry is not BencodeString hashes || hashes.Bytes.Length != (long)geometry.PieceCount * MerkleTree.HashSize)
                throw Fail(MetainfoErrorReason.InvalidPieceLayer,
                    $"the layer must be {(long)geometry.PieceCount * MerkleTree.HashSize} bytes");
            layer = hashes.Bytes;
        }
        if (!layer.IsEmpty)
        {
            Span<byte> computed = stackalloc byte[MerkleTree.HashSize];
            MerkleTree.ComputeRootFromPieceLayer(geometry, layer.Span, computed);
            if (!computed.SequenceEqual(piecesRoot.Span))
                throw Fail(MetainfoErrorReason.InvalidPieceLayer, "the piece layer does not reduce to the pieces root");
        }
        return layer;
    }

    private static string ReadName(BencodeString? value, string what) =>
        value is null ? throw Fail(MetainfoErrorReason.InvalidName, $"missing {what}") : ReadName(new BencodeStringView(value.Bytes), what);

    private static string ReadName(BencodeStringView value, string what)
    {
        var bytes = value.Bytes.Span;
        string name;
        try
        {
            name = new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Fail(MetainfoErrorReason.InvalidName, $"{what} is not UTF-8");
        }
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\\') || name.Contains('\0'))
            throw Fail(MetainfoErrorReason.InvalidName, $"{what} is not a single path element");
        return name;
    }

    private static IReadOnlyList<string> ReadWebSeeds(BencodeDictionary root)
    {
        if (!root.TryGetValue("url-list", out var value)) return [];
        return value switch
        {
            BencodeString one => one.Bytes.IsEmpty ? [] : [one.ToString()],
            BencodeList list => list.Items.OfType<BencodeString>().Where(s => !s.Bytes.IsEmpty).Select(s => s.ToString()).ToArray(),
            _ => [],
        };
    }

    private static IReadOnlyList<IReadOnlyList<string>> ReadTrackers(BencodeDictionary root)
    {
        // libtorrent: announce-list when present, else announce; entries of the wrong type are skipped.
        if (root.Get<BencodeList>("announce-list") is { } tiers)
        {
            var result = tiers.Items.OfType<BencodeList>()
                .Select(t => (IReadOnlyList<string>)t.Items.OfType<BencodeString>().Where(s => !s.Bytes.IsEmpty).Select(s => s.ToString()).ToArray())
                .Where(t => t.Count > 0).ToArray();
            if (result.Length > 0) return result;
        }
        return root.Get<BencodeString>("announce") is { Bytes.IsEmpty: false } announce ? [[announce.ToString()]] : [];
    }

    private static MetainfoException Fail(MetainfoErrorReason reason, string detail) => new(reason, detail);

    private readonly record struct BencodeStringView(ReadOnlyMemory<byte> Bytes);
}
