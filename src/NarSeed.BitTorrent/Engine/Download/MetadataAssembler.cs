using System.Security.Cryptography;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// Collects a magnet's info dict from BEP 9 ut_metadata pieces (16 KiB each) and accepts it only when it hashes to the
/// info-hash: SHA-256 for a btmh (v2) hash, SHA-1 for a btih (v1) hash.
/// </summary>
internal sealed class MetadataAssembler(ReadOnlyMemory<byte>? infoHashV1, ReadOnlyMemory<byte>? infoHashV2)
{
    private readonly object _lock = new();
    private byte[]? _data;
    private bool[]? _received;
    private bool[]? _requested;
    private int _missing;

    /// <summary>Number of times assembled metadata failed its hash (the pieces are then fetched again).</summary>
    public int Failures { get; private set; }

    /// <summary>Takes a peer's <c>metadata_size</c>; false when it is out of bounds or disagrees with the first one seen.</summary>
    public bool TrySetSize(long size)
    {
        lock (_lock)
        {
            if (size <= 0 || size > WireLimits.MaxMetadataSize) return false;
            if (_data is not null) return _data.Length == size;
            _data = new byte[size];
            var pieces = (int)((size + WireLimits.MetadataPieceSize - 1) / WireLimits.MetadataPieceSize);
            _received = new bool[pieces];
            _requested = new bool[pieces];
            _missing = pieces;
            return true;
        }
    }

    /// <summary>A piece nobody has been asked for yet, or (when all are asked) one still missing; −1 when none.</summary>
    public int NextPiece()
    {
        lock (_lock)
        {
            if (_received is null || _requested is null) return -1;
            for (var i = 0; i < _received.Length; i++)
            {
                if (!_received[i] && !_requested[i])
                {
                    _requested[i] = true;
                    return i;
                }
            }
            for (var i = 0; i < _received.Length; i++) if (!_received[i]) return i;
            return -1;
        }
    }

    public void Release(int piece)
    {
        lock (_lock) if (_requested is not null && piece >= 0 && piece < _requested.Length) _requested[piece] = false;
    }

    /// <summary>Stores a piece. Returns the verified info dict once the last piece is in; null otherwise.</summary>
    public byte[]? Add(int piece, long totalSize, ReadOnlySpan<byte> chunk)
    {
        lock (_lock)
        {
            if (_data is null || _received is null || _requested is null || totalSize != _data.Length ||
                piece < 0 || piece >= _received.Length)
            {
                return null;
            }
            var offset = piece * WireLimits.MetadataPieceSize;
            var expected = Math.Min(WireLimits.MetadataPieceSize, _data.Length - offset);
            if (chunk.Length != expected || _received[piece]) return null;
            chunk.CopyTo(_data.AsSpan(offset));
            _received[piece] = true;
            if (--_missing > 0) return null;
            if (Matches(_data)) return _data;
            Failures++;
            Array.Clear(_received);
            Array.Clear(_requested);
            _missing = _received.Length;
            return null;
        }
    }

    private bool Matches(byte[] info)
    {
        if (infoHashV2 is { } v2) return SHA256.HashData(info).AsSpan().SequenceEqual(v2.Span);
        return infoHashV1 is { } v1 && SHA1.HashData(info).AsSpan().SequenceEqual(v1.Span);
    }
}
