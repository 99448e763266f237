using System.Buffers;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// Makes single-file v2-only (default) and hybrid torrents byte-identical to libtorrent's create_torrent (flags
/// v2_only or none, no creation date, no file attributes): the info dictionary holds exactly <c>file tree</c>,
/// (<c>length</c>), <c>meta version</c>, <c>name</c>, <c>piece length</c>, (<c>pieces</c>) — bittorrent.md §1.2.
/// </summary>
public static class TorrentBuilder
{
    /// <summary>libtorrent's create_torrent refuses piece lengths above 128 MiB.</summary>
    public const int MaxPieceLength = 128 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> once, hashing on every core, and returns the torrent.</summary>
    public static async Task<TorrentInfo> CreateAsync(
        string path, TorrentCreateOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TorrentCreateOptions();
        var name = options.Name ?? Path.GetFileName(Path.GetFullPath(path));
        ValidateName(name);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(file);
        if (length <= 0 || length > TorrentReader.MaxFileLength)
            throw new ArgumentException($"'{path}' is {length} bytes; a torrent needs 1 byte to 16 TiB.", nameof(path));
        var pieceLength = options.PieceLength ?? PieceLengthTable.For(length);
        if (!MerkleTree.IsPowerOfTwo(pieceLength) || pieceLength < MerkleGeometry.MinPieceLength || pieceLength > MaxPieceLength)
            throw new ArgumentOutOfRangeException(nameof(options), pieceLength,
                "The piece length must be a power of two from 16 KiB to 128 MiB.");
        var geometry = new MerkleGeometry(length, pieceLength);
        var (pieceLayer, v1Pieces) = await FileHasher.HashAsync(file, geometry, options.Hybrid, cancellationToken)
            .ConfigureAwait(false);
        return FromHashes(name, length, pieceLength, pieceLayer, v1Pieces, options.WebSeeds, options.Trackers);
    }

    /// <summary>
    /// Builds the torrent from already computed hashes: the v2 piece hashes (for a file of one piece or less, the
    /// single entry is the pieces root) and, for a hybrid, the SHA-1 piece hashes.
    /// </summary>
    public static TorrentInfo FromHashes(
        string name, long length, int pieceLength, ReadOnlySpan<byte> pieceHashes, ReadOnlySpan<byte> v1Pieces,
        IReadOnlyList<string> webSeeds, IReadOnlyList<string> trackers)
    {
        ValidateName(name);
        var geometry = new MerkleGeometry(length, pieceLength);
        Span<byte> root = stackalloc byte[MerkleTree.HashSize];
        MerkleTree.ComputeRootFromPieceLayer(geometry, pieceHashes, root);
        var hybrid = !v1Pieces.IsEmpty;
        var buffer = new ArrayBufferWriter<byte>();
        var w = new BencodeWriter(buffer);
        w.WriteStartDictionary();
        w.WriteKey("file tree");
        w.WriteStartDictionary();
        w.WriteKey(name);
        w.WriteStartDictionary();
        w.WriteKey("");
        w.WriteStartDictionary();
        w.WriteKey("length");
        w.WriteInteger(length);
        w.WriteKey("pieces root");
        w.WriteString(root);
        w.WriteEndDictionary();
        w.WriteEndDictionary();
        w.WriteEndDictionary();
        if (hybrid)
        {
            w.WriteKey("length");
            w.WriteInteger(length);
        }
        w.WriteKey("meta version");
        w.WriteInteger(2);
        w.WriteKey("name");
        w.WriteString(name);
        w.WriteKey("piece length");
        w.WriteInteger(pieceLength);
        if (hybrid)
        {
            w.WriteKey("pieces");
            w.WriteString(v1Pieces);
        }
        w.WriteEndDictionary();
        var info = buffer.WrittenSpan;

        // Assemble a minimal .torrent and read it back: the result is validated exactly like a downloaded one.
        var file = new ArrayBufferWriter<byte>(info.Length + pieceHashes.Length + 64);
        var top = new BencodeWriter(file);
        top.WriteStartDictionary();
        top.WriteKey("info");
        top.WriteEncodedValue(info);
        top.WriteKey("piece layers");
        top.WriteStartDictionary();
        if (geometry.HasPieceLayer)
        {
            top.WriteKey(root);
            top.WriteString(pieceHashes);
        }
        top.WriteEndDictionary();
        top.WriteEndDictionary();
        var parsed = TorrentReader.Read(file.WrittenSpan.ToArray());
        return parsed.WithSources(webSeeds, trackers.Select(t => (IReadOnlyList<string>)[t]).ToArray());
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\\') || name.Contains('\0'))
            throw new ArgumentException($"'{name}' is not a valid torrent name (one non-empty path element).", nameof(name));
    }
}
