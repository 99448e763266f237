using System.Buffers;
using System.Security.Cryptography;
using NarSeed.BitTorrent.Bencoding;

namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// A parsed, validated single-file torrent — v1-only (BEP 3), v2-only or hybrid (BEP 52) — independent of any
/// session. Made by <see cref="TorrentReader"/> (from a .torrent file) or <see cref="TorrentBuilder"/> (from a file on
/// disk; v2-only or hybrid). Byte values are exact copies of the file's bytes; hashes are over <see cref="RawInfo"/>,
/// never a re-encoding. The v2 members (<see cref="InfoHashV2"/>, <see cref="PiecesRoot"/>, <see cref="Geometry"/>,
/// <see cref="GetPieceHash"/>) throw <see cref="InvalidOperationException"/> on a v1-only torrent: check
/// <see cref="HasV2"/>, or use the version-neutral <see cref="InfoHash"/> and <see cref="SwarmHash"/>.
/// </summary>
public sealed class TorrentInfo
{
    private readonly ReadOnlyMemory<byte>? _infoHashV2;
    private readonly MerkleGeometry? _geometry;
    private readonly ReadOnlyMemory<byte> _piecesRoot;

    internal TorrentInfo(
        ReadOnlyMemory<byte>? infoHashV1, ReadOnlyMemory<byte>? infoHashV2, string name, long length, int pieceLength,
        ReadOnlyMemory<byte> piecesRoot, ReadOnlyMemory<byte> pieceLayer, ReadOnlyMemory<byte> v1Pieces,
        ReadOnlyMemory<byte> rawInfo, IReadOnlyList<string> webSeeds, IReadOnlyList<IReadOnlyList<string>> trackers)
    {
        if (infoHashV1 is null && infoHashV2 is null) throw new ArgumentException("A torrent has at least one info-hash.");
        InfoHashV1 = infoHashV1;
        _infoHashV2 = infoHashV2;
        Name = name;
        Length = length;
        PieceLength = pieceLength;
        PieceCount = checked((int)((length + pieceLength - 1) / pieceLength));
        _geometry = infoHashV2 is null ? null : new MerkleGeometry(length, pieceLength);
        _piecesRoot = piecesRoot;
        PieceLayer = pieceLayer;
        V1Pieces = v1Pieces;
        RawInfo = rawInfo;
        WebSeeds = webSeeds;
        Trackers = trackers;
    }

    public TorrentVersion Version => !HasV2 ? TorrentVersion.V1Only : HasV1 ? TorrentVersion.Hybrid : TorrentVersion.V2Only;

    /// <summary>True for v1-only and hybrid torrents: <see cref="InfoHashV1"/> and <see cref="V1Pieces"/> are set.</summary>
    public bool HasV1 => InfoHashV1 is not null;

    /// <summary>True for v2-only and hybrid torrents: the v2 members may be used.</summary>
    public bool HasV2 => _infoHashV2 is not null;

    /// <summary>SHA-1 of the info dictionary (20 bytes) for a v1-only or hybrid torrent; null for v2-only.</summary>
    public ReadOnlyMemory<byte>? InfoHashV1 { get; }

    /// <summary>SHA-256 of the info dictionary (32 bytes). Throws for a v1-only torrent (see <see cref="HasV2"/>).</summary>
    public ReadOnlyMemory<byte> InfoHashV2 => _infoHashV2 ?? throw NoV2();

    /// <summary>The first 20 bytes of <see cref="InfoHashV2"/>: used in handshakes, trackers, DHT (BEP 52).</summary>
    public ReadOnlyMemory<byte> TruncatedInfoHashV2 => InfoHashV2[..20];

    /// <summary>The torrent's own hash: <see cref="InfoHashV2"/> when it has one, else <see cref="InfoHashV1"/>.</summary>
    public ReadOnlyMemory<byte> InfoHash => _infoHashV2 ?? InfoHashV1!.Value;

    /// <summary>
    /// The 20 bytes a handshake, tracker or DHT uses for the torrent: the truncated v2 hash, or the v1 hash of a
    /// v1-only torrent.
    /// </summary>
    public ReadOnlyMemory<byte> SwarmHash => _infoHashV2 is { } v2 ? v2[..20] : InfoHashV1!.Value;

    /// <summary>The v2 hash in hex; null for a v1-only torrent.</summary>
    public string? InfoHashV2Hex => _infoHashV2 is { } v2 ? Convert.ToHexStringLower(v2.Span) : null;

    public string? InfoHashV1Hex => InfoHashV1 is { } v1 ? Convert.ToHexStringLower(v1.Span) : null;

    /// <summary><see cref="InfoHash"/> in hex: the v2 hash, or the v1 hash of a v1-only torrent.</summary>
    public string InfoHashHex => Convert.ToHexStringLower(InfoHash.Span);

    public bool IsHybrid => Version == TorrentVersion.Hybrid;

    /// <summary>The <c>name</c> field, equal to the file-tree key for torrents NarSeed makes (and for any hybrid).</summary>
    public string Name { get; }

    public long Length { get; }

    public int PieceLength { get; }

    public int PieceCount { get; }

    /// <summary>The file's Merkle tree shape. Throws for a v1-only torrent, whose piece length need not even be a power of two.</summary>
    public MerkleGeometry Geometry => _geometry ?? throw NoV2();

    /// <summary>The file's Merkle root (32 bytes). Throws for a v1-only torrent.</summary>
    public ReadOnlyMemory<byte> PiecesRoot => HasV2 ? _piecesRoot : throw NoV2();

    /// <summary>The pieces root in hex; null for a v1-only torrent.</summary>
    public string? PiecesRootHex => HasV2 ? Convert.ToHexStringLower(PiecesRoot.Span) : null;

    /// <summary>
    /// The file's entry in <c>piece layers</c> (32 bytes per piece, verified against the root), or empty when the
    /// file is one piece or less (its piece hash is then the root) or the .torrent carried no piece layers.
    /// </summary>
    public ReadOnlyMemory<byte> PieceLayer { get; }

    /// <summary>
    /// True when every piece hash of the torrent's strongest version is known: for v2 and hybrid from
    /// <see cref="PieceLayer"/> (or the root for one piece); for v1-only always (<see cref="V1Pieces"/>).
    /// </summary>
    public bool HasPieceHashes => _geometry is not { } geometry || !geometry.HasPieceLayer || !PieceLayer.IsEmpty;

    /// <summary>The v1 <c>pieces</c> string of a v1-only or hybrid torrent (20 bytes of SHA-1 per piece); empty for v2-only.</summary>
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
        if (!HasV2) throw NoV2();
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount);
        if (!Geometry.HasPieceLayer) return PiecesRoot.Span;
        if (PieceLayer.IsEmpty) throw new InvalidOperationException("The torrent carried no piece layer.");
        return PieceLayer.Span.Slice(piece * MerkleTree.HashSize, MerkleTree.HashSize);
    }

    /// <summary>The SHA-1 of piece <paramref name="piece"/> from <c>pieces</c> (v1-only and hybrid torrents).</summary>
    public ReadOnlySpan<byte> GetV1PieceHash(int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount);
        if (!HasV1) throw new InvalidOperationException("A v2-only torrent has no v1 piece hashes.");
        return V1Pieces.Span.Slice(piece * SHA1.HashSizeInBytes, SHA1.HashSizeInBytes);
    }

    /// <summary>A copy with other web seeds and trackers (they live outside <c>info</c>; the info-hash is unchanged).</summary>
    public TorrentInfo WithSources(IReadOnlyList<string> webSeeds, IReadOnlyList<IReadOnlyList<string>> trackers) =>
        new(InfoHashV1, _infoHashV2, Name, Length, PieceLength, _piecesRoot, PieceLayer, V1Pieces, RawInfo,
            webSeeds.ToArray(), trackers.Select(t => (IReadOnlyList<string>)t.ToArray()).ToArray());

    /// <summary>
    /// The .torrent file, laid out as libtorrent's create_torrent writes it without a creation date: <c>announce</c>
    /// (first tracker), <c>announce-list</c> (only with more than one tracker), <c>info</c>, <c>piece layers</c>
    /// (always present for v2 and hybrid, empty for a one-piece file; absent for v1-only), <c>url-list</c> (a string
    /// for one URL, else a list).
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
        if (HasV2)
        {
            writer.WriteKey("piece layers");
            writer.WriteStartDictionary();
            if (!PieceLayer.IsEmpty)
            {
                writer.WriteKey(PiecesRoot.Span);
                writer.WriteString(PieceLayer.Span);
            }
            writer.WriteEndDictionary();
        }
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

    /// <summary>A magnet link with both hashes (hybrid), the v2 hash (v2-only) or the v1 hash (v1-only), the name, length, trackers and web seeds.</summary>
    public MagnetLink ToMagnetLink(IReadOnlyList<System.Net.EndPoint>? peers = null) => new()
    {
        InfoHashV1 = InfoHashV1,
        InfoHashV2 = _infoHashV2,
        DisplayName = Name,
        ExactLength = Length,
        Trackers = Trackers.SelectMany(t => t).ToArray(),
        WebSeeds = WebSeeds,
        Peers = peers ?? [],
    };

    private static InvalidOperationException NoV2() =>
        new("A v1-only torrent has no v2 info-hash, pieces root or Merkle tree.");
}
