using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// The download's disk state: verified pieces are written into <c>NAME.part</c>, and <c>NAME.resume</c> records which
/// pieces are in it (magic, v2 info-hash, piece count, bitfield), replaced atomically. Nothing is written before it is
/// verified, and the file gets its final name only when every piece is in. On restart the pieces the resume state
/// names are read back and checked again, never fetched.
/// </summary>
internal sealed class PieceStore : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "NSRESUME1"u8;

    private readonly TorrentInfo _torrent;
    private readonly object _resumeLock = new();
    private SafeFileHandle? _handle;

    public PieceStore(TorrentInfo torrent, string directory)
    {
        _torrent = torrent;
        FinalPath = Path.Combine(directory, torrent.Name);
        PartPath = FinalPath + ".part";
        ResumePath = FinalPath + ".resume";
    }

    public string FinalPath { get; }

    public string PartPath { get; }

    public string ResumePath { get; }

    /// <summary>Bytes of pieces found verified on disk when the download started.</summary>
    public long BytesAlreadyOnDisk { get; private set; }

    /// <summary>Opens (or creates) the part file and returns the pieces already verified in it.</summary>
    public bool[] Open()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FinalPath)!);
            var claimed = ReadResume();
            _handle = File.OpenHandle(PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
            if (RandomAccess.GetLength(_handle) != _torrent.Length)
            {
                RandomAccess.SetLength(_handle, _torrent.Length);
            }
            var have = new bool[_torrent.PieceCount];
            var buffer = ArrayPool<byte>.Shared.Rent(_torrent.PieceLength);
            try
            {
                for (var piece = 0; piece < have.Length; piece++)
                {
                    if (!claimed[piece]) continue;
                    var size = PieceVerifier.PieceSize(_torrent, piece);
                    var read = RandomAccess.Read(_handle, buffer.AsSpan(0, size), (long)piece * _torrent.PieceLength);
                    have[piece] = read == size && PieceVerifier.Verify(_torrent, piece, buffer.AsSpan(0, size));
                    if (have[piece]) BytesAlreadyOnDisk += size;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return have;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorReason.Storage, $"Cannot use {PartPath}: {e.Message}", e);
        }
    }

    /// <summary>Writes one verified piece at its place.</summary>
    public void Write(int piece, ReadOnlySpan<byte> data) =>
        RandomAccess.Write(Handle, data, (long)piece * _torrent.PieceLength);

    /// <summary>Reads verified bytes for a streaming consumer.</summary>
    public int Read(long offset, Span<byte> destination) => RandomAccess.Read(Handle, destination, offset);

    /// <summary>Records <paramref name="have"/> (flushing the part file first, so the record never runs ahead of the data).</summary>
    public void SaveResume(bool[] have)
    {
        lock (_resumeLock)
        {
            if (_handle is null || _handle.IsClosed) return;
            RandomAccess.FlushToDisk(_handle);
            var bits = new byte[(have.Length + 7) / 8];
            for (var i = 0; i < have.Length; i++) if (have[i]) bits[i / 8] |= (byte)(0x80 >> (i % 8));
            var bytes = new byte[Magic.Length + 32 + 4 + bits.Length];
            Magic.CopyTo(bytes);
            _torrent.InfoHash.Span.CopyTo(bytes.AsSpan(Magic.Length)); // a v1 hash is zero-padded to 32 bytes
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(Magic.Length + 32), have.Length);
            bits.CopyTo(bytes.AsSpan(Magic.Length + 36));
            var temporary = ResumePath + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, ResumePath, overwrite: true);
        }
    }

    /// <summary>Every piece is verified: flush, give the file its final name, forget the resume state.</summary>
    public void Finish()
    {
        lock (_resumeLock)
        {
            RandomAccess.FlushToDisk(Handle);
            _handle!.Dispose();
            File.Move(PartPath, FinalPath, overwrite: true);
            File.Delete(ResumePath);
        }
    }

    private SafeFileHandle Handle => _handle ?? throw new InvalidOperationException("The part file is not open.");

    /// <summary>The pieces the resume file claims; none if it is missing, damaged or for another torrent.</summary>
    private bool[] ReadResume()
    {
        var claimed = new bool[_torrent.PieceCount];
        if (!File.Exists(ResumePath) || !File.Exists(PartPath)) return claimed;
        var bytes = File.ReadAllBytes(ResumePath);
        var bitsLength = (claimed.Length + 7) / 8;
        if (bytes.Length != Magic.Length + 36 + bitsLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic) ||
            !bytes.AsSpan(Magic.Length, 32).StartsWith(_torrent.InfoHash.Span) ||
            bytes.AsSpan(Magic.Length + _torrent.InfoHash.Length, 32 - _torrent.InfoHash.Length).ContainsAnyExcept((byte)0) ||
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(Magic.Length + 32)) != claimed.Length)
        {
            return claimed;
        }
        var bits = bytes.AsSpan(Magic.Length + 36);
        for (var i = 0; i < claimed.Length; i++) claimed[i] = (bits[i / 8] & (0x80 >> (i % 8))) != 0;
        return claimed;
    }

    public void Dispose() => _handle?.Dispose();
}
