using System.Numerics;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// One registered torrent: a single file served from <see cref="DataPath"/>. Only the few fields a handshake and a
/// request need live here; the info dict and piece layer come from <see cref="Metadata"/> when a peer needs them.
/// A v1-only torrent (<see cref="ForV1Only"/>) has no v2 hash, pieces root or piece layer: its connections are v1,
/// where BEP 52 hash messages are a protocol violation.
/// </summary>
public sealed class SeedTorrent
{
    public SeedTorrent(byte[] infoHashV2, byte[]? infoHashV1, long length, int pieceLength, byte[] piecesRoot,
        int metadataSize, string dataPath, ISeedMetadataSource metadata)
        : this(dataPath, metadata, infoHashV2, infoHashV1, length, pieceLength, piecesRoot, metadataSize)
    {
        if (infoHashV2.Length != 32) throw new ArgumentException("A v2 info-hash has 32 bytes.", nameof(infoHashV2));
        if (piecesRoot.Length != 32) throw new ArgumentException("A pieces root has 32 bytes.", nameof(piecesRoot));
        if (pieceLength < WireLimits.BlockSize || !BitOperations.IsPow2(pieceLength))
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength,
                "A v2 piece length is a power of two of at least 16 KiB (BEP 52).");
        }
    }

    private SeedTorrent(string dataPath, ISeedMetadataSource metadata, byte[]? infoHashV2, byte[]? infoHashV1, long length,
        int pieceLength, byte[]? piecesRoot, int metadataSize)
    {
        if (infoHashV1 is { Length: not 20 }) throw new ArgumentException("A v1 info-hash has 20 bytes.", nameof(infoHashV1));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pieceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(metadataSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(metadataSize, WireLimits.MaxMetadataSize);
        if ((length + pieceLength - 1) / pieceLength > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(length));
        InfoHashV2 = infoHashV2;
        InfoHashV1 = infoHashV1;
        Length = length;
        PieceLength = pieceLength;
        PiecesRoot = piecesRoot;
        MetadataSize = metadataSize;
        DataPath = dataPath;
        Metadata = metadata;
        SwarmHash = infoHashV2 is { } v2 ? v2[..Handshake.HashLength] : infoHashV1 ?? throw new ArgumentNullException(nameof(infoHashV1));
    }

    /// <summary>A v1-only (BEP 3) torrent: any positive piece length, pieces checked by SHA-1 on the peer's side.</summary>
    public static SeedTorrent ForV1Only(byte[] infoHashV1, long length, int pieceLength, int metadataSize, string dataPath,
        ISeedMetadataSource metadata) =>
        new(dataPath, metadata, null, infoHashV1, length, pieceLength, null, metadataSize);

    /// <summary>
    /// A registration for a parsed .torrent whose info dict and piece layer stay in memory (fine for a handful of
    /// torrents; the node backs <see cref="ISeedMetadataSource"/> with its catalog instead).
    /// </summary>
    public static SeedTorrent FromTorrentInfo(TorrentInfo info, string dataPath)
    {
        if (!info.HasPieceHashes)
        {
            throw new ArgumentException("The torrent has no piece layer for its file; a seeder must have it.", nameof(info));
        }
        if (!info.HasV2)
        {
            return ForV1Only(info.InfoHashV1!.Value.ToArray(), info.Length, info.PieceLength, info.RawInfo.Length, dataPath,
                new InMemorySeedMetadata(info.RawInfo, ReadOnlyMemory<byte>.Empty));
        }
        return new SeedTorrent(info.InfoHashV2.ToArray(), info.InfoHashV1?.ToArray(), info.Length, info.PieceLength,
            info.PiecesRoot.ToArray(), info.RawInfo.Length, dataPath, new InMemorySeedMetadata(info.RawInfo, info.PieceLayer));
    }

    /// <summary>SHA-256 of the info dict; its first 20 bytes route handshakes. Null for a v1-only torrent.</summary>
    public byte[]? InfoHashV2 { get; }

    /// <summary>SHA-1 of the info dict, for a hybrid or v1-only torrent; null for v2-only.</summary>
    public byte[]? InfoHashV1 { get; }

    /// <summary>The 20-byte hash the swarm knows it by: the truncated v2 hash, or the v1 hash of a v1-only torrent.</summary>
    public byte[] SwarmHash { get; }

    /// <summary>True when the torrent has a v2 hash (v2-only or hybrid).</summary>
    public bool HasV2 => InfoHashV2 is not null;

    public long Length { get; }

    public int PieceLength { get; }

    /// <summary>The file's Merkle root (32 bytes); null for a v1-only torrent.</summary>
    public byte[]? PiecesRoot { get; }

    /// <summary>Size of the bencoded info dict, announced as BEP 9 <c>metadata_size</c>.</summary>
    public int MetadataSize { get; }

    public string DataPath { get; }

    public ISeedMetadataSource Metadata { get; }

    public int PieceCount => (int)((Length + PieceLength - 1) / PieceLength);

    /// <summary>Number of 16 KiB blocks (Merkle leaves before padding).</summary>
    public long BlockCount => (Length + WireLimits.BlockSize - 1) / WireLimits.BlockSize;

    /// <summary>Levels from the block (leaf) layer up to the piece layer: log2(piece length / 16 KiB).</summary>
    public int PieceLayer => BitOperations.Log2((uint)(PieceLength / WireLimits.BlockSize));

    /// <summary>Bytes in piece <paramref name="index"/> (the last one may be short).</summary>
    public int PieceSize(uint index) => (int)Math.Min(PieceLength, Length - (long)index * PieceLength);

    public override string ToString() => Convert.ToHexStringLower(InfoHashV2 ?? SwarmHash);
}
