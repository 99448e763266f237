using System.Buffers;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// A parsed, validated single-file BitTorrent v2 or hybrid torrent (BEP 52), independent of any session. Made by
/// <see cref="TorrentReader"/> (from a .torrent file) or <see cref="TorrentBuilder"/> (from a file on disk). Byte
/// values are exact copies of the file's bytes; hashes are over <see cref="RawInfo"/>, never a re-encoding.
/// </summary>
public sealed class TorrentInfo
{
    internal TorrentInfo(
        ReadOnlyMemory<byte>? infoHashV1, ReadOnlyMemory<byte> infoHashV2, string name, long length, int pieceLength,
        ReadOnlyMemory<byte> piecesRoot, ReadOnlyMemory<byte> pieceLayer, ReadOnlyMemory<byte> v1Pieces,
        ReadOnlyMemory<byte> rawInfo, IReadOnlyList<string> webSeeds, IReadOnlyList<IReadOnlyList<string>> trackers)
    {
        InfoHashV1 = infoHashV1;
        InfoHashV2 = infoHashV2;
        Name = name;
        Length = length;
        PieceLength = pieceLength;
        Geometry = new MerkleGeometry(length, pieceLength);
        PiecesRoot = piecesRoot;
        PieceLayer = pieceLayer;
        V1Pieces = v1Pieces;
        RawInfo = rawInfo;
        WebSeeds = webSeeds;
        Trackers = trackers;
    }

    /// <summary>SHA-1 of the info dictionary (20 bytes) for a hybrid torrent; null for v2-only.</summary>
    public ReadOnlyMemory<byte>? InfoHashV1 { get; }

    /// <summary>SHA-256 of the info dictionary (32 bytes).</summary>
    public ReadOnlyMemory<byte> InfoHashV2 { get; }

    /// <summary>The first 20 bytes of <see cref="InfoHashV2"/>: used in handshakes, trackers, DHT (BEP 52).</summary>
    public ReadOnlyMemory<byte> TruncatedInfoHashV2 => InfoHashV2[..20];

    public string InfoHashV2Hex => Convert.ToHexStringLower(InfoHashV2.Span);

    public string? InfoHashV1Hex => InfoHashV1 is { } v1 ? Convert.ToHexStringLower(v1.Span) : null;

    public bool IsHybrid => InfoHashV1 is not null;

    /// <summary>The <c>name</c> field, equal to the file-tree key for torrents NarSeed makes (and for any hybrid).</summary>
    public string Name { get; }

    public long Length { get; }

    public int PieceLength { get; }

    public int PieceCount => Geometry.PieceCount;

    public MerkleGeometry Geometry { get; }

    /// <summary>The file's Merkle root (32 bytes).</summary>
    public ReadOnlyMemory<byte> PiecesRoot { get; }

    public string PiecesRootHex => Convert.ToHexStringLower(PiecesRoot.Span);

    /// <summary>
    /// The file's entry in <c>piece layers</c> (32 bytes per piece, verified against the root), or empty when the
    /// file is one piece or less (its piece hash is then the root) or the .torrent carried no piece layers.
    /// </summary>
    public ReadOnlyMemory<byte> PieceLayer { get; }

    /// <summary>True when every piece hash is known (from <see cref="PieceLayer"/>, or the root for one piece).</summary>
    public bool HasPieceHashes => !Geometry.HasPieceLayer || !PieceLayer.IsEmpty;

    /// <summary>The v1 <c>pieces</c> string of a hybrid (20 bytes of SHA-1 per piece); empty for v2-only.</summary>
    public ReadOnlyMemory<byte> V1Pieces { get; }

    /// <summary>The exact bytes of the info dictionary (what ut_metadata serves).</summary>
    public ReadOnlyMemory<byte> RawInfo { get; }

    /// <summary>BEP 19 web seeds (<c>url-list</c>).</summary>
    public IReadOnlyList<string> WebSeeds { get; }

    /// <summary>Tracker tiers (<c>announce-list</c>, or <c>announce</c> alone as one tier).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Trackers { get; }

    /// <summary>The v2 hash of piece <paramref name="piece"/>: from the piece layer, or the root for a one-piece file.</summary>
    public ReadOnlySpan<byte> GetPieceHash(int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount);
        if (!Geometry.HasPieceLayer) return PiecesRoot.Span;
        if (PieceLayer.IsEmpty) throw new InvalidOperationException("The torrent carried no piece layer.");
        return PieceLayer.Span.Slice(piece * MerkleTree.HashSize, MerkleTree.HashSize);
    }

    /// <summary>A copy with other web seeds and trackers (they live outside <c>info</c>; the info-hash is unchanged).</summary>
    public TorrentInfo WithSources(IReadOnlyList<string> webSeeds, IReadOnlyList<IReadOnlyList<string>> trackers) =>
        new(InfoHashV1, InfoHashV2, Name, Length, PieceLength, PiecesRoot, PieceLayer, V1Pieces, RawInfo,
            webSeeds.ToArray(), trackers.Select(t => (IReadOnlyList<string>)t.ToArray()).ToArray());

    /// <summary>
    /// The .torrent file, laid out as libtorrent's create_torrent writes it without a creation date: <c>announce</c>
    /// (first tracker), <c>announce-list</c> (only with more than one tracker), <c>info</c>, <c>piece layers</c>
    /// (always present, empty for a one-piece file), <c>url-list</c> (a string for one URL, else a list).
    /// </summary>
    public byte[] ToTorrentFile()
    {
        var buffer = new ArrayBufferWriter<byte>(RawInfo.Length + PieceLayer.Length + 256);
        var writer = new BencodeWriter(buffer);
        writer.WriteStartDictionary();
        var all = Trackers.SelectMany(t => t).ToList();
        if (all.Count > 0)
        {
            writer.WriteKey("announce");
            writer.WriteString(all[0]);
        }
        if (all.Count > 1)
        {
            writer.WriteKey("announce-list");
            writer.WriteStartList();
            foreach (var tier in Trackers.Where(t => t.Count > 0))
            {
                writer.WriteStartList();
                foreach (var url in tier) writer.WriteString(url);
                writer.WriteEndList();
            }
            writer.WriteEndList();
        }
        writer.WriteKey("info");
        writer.WriteEncodedValue(RawInfo.Span);
        writer.WriteKey("piece layers");
        writer.WriteStartDictionary();
        if (!PieceLayer.IsEmpty)
        {
            writer.WriteKey(PiecesRoot.Span);
            writer.WriteString(PieceLayer.Span);
        }
        writer.WriteEndDictionary();
        if (WebSeeds.Count == 1)
        {
            writer.WriteKey("url-list");
            writer.WriteString(WebSeeds[0]);
        }
        else if (WebSeeds.Count > 1)
        {
            writer.WriteKey("url-list");
            writer.WriteStartList();
            foreach (var url in WebSeeds) writer.WriteString(url);
            writer.WriteEndList();
        }
        writer.WriteEndDictionary();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A magnet link with both hashes (hybrid) or the v2 hash, the name, length, trackers and web seeds.</summary>
    public MagnetLink ToMagnetLink(IReadOnlyList<System.Net.EndPoint>? peers = null) => new()
    {
        InfoHashV1 = InfoHashV1,
        InfoHashV2 = InfoHashV2,
        DisplayName = Name,
        ExactLength = Length,
        Trackers = Trackers.SelectMany(t => t).ToArray(),
        WebSeeds = WebSeeds,
        Peers = peers ?? [],
    };
}
