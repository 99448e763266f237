using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using NarSeed.BitTorrent.Metainfo;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// The download's disk state: verified pieces are written into <c>NAME.part</c>, and <c>NAME.resume</c> records which
/// pieces are in it (magic, v2 info-hash, piece count, bitfield), replaced atomically. Nothing is written before it is
/// verified, and the file gets its final name only when every piece is in. On restart the pieces the resume state
/// names are read back and checked again, never fetched; without a usable resume state, or with the final file already
/// there, every piece on disk is checked (<see cref="PieceChecker"/>).
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

    /// <summary>
    /// Opens (or creates) the part file and returns the pieces already verified on disk. A final file already there
    /// (an earlier run, or a crash after the rename) is checked piece by piece: complete and valid, it is kept as it
    /// is; otherwise it becomes the part file, so nothing unverified ever keeps the final name. A part file without
    /// a usable resume state has all its pieces checked instead of being thrown away.
    /// </summary>
    public bool[] Open(CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FinalPath)!);
            bool[]? inFinal = null;
            if (File.Exists(FinalPath))
            {
                SafeFileHandle? final = File.OpenHandle(FinalPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                try
                {
                    inFinal = PieceChecker.Check(_torrent, final, All(true), cancellationToken: cancellationToken);
                    if (RandomAccess.GetLength(final) == _torrent.Length && !inFinal.Contains(false))
                    {
                        (_handle, final) = (final, null);
                        IsFinalInPlace = true;
                        File.Delete(PartPath);
                        File.Delete(ResumePath);
                        BytesAlreadyOnDisk = _torrent.Length;
                        return inFinal;
                    }
                }
                finally
                {
                    final?.Dispose();
                }
                if (!File.Exists(PartPath))
                {
                    // The final file becomes the part file with the pieces just checked as its resume state.
                    File.Move(FinalPath, PartPath);
                    OpenPart();
                    SaveResume(inFinal);
                    return Counted(inFinal);
                }
            }
            var claimed = ReadResume();
            var partLength = OpenPart();
            // No usable resume state: check every piece a non-empty part file may hold (libtorrent's recheck).
            claimed ??= All(partLength > 0);
            var have = PieceChecker.Check(_torrent, _handle!, claimed, cancellationToken: cancellationToken);
            if (inFinal is not null)
            {
                // Both files: keep the final file's good pieces the part lacks, then remove the unverified final file.
                var wanted = All(false);
                for (var i = 0; i < wanted.Length; i++) wanted[i] = inFinal[i] && !have[i];
                using (var final = File.OpenHandle(FinalPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete))
                {
                    var copied = PieceChecker.Check(_torrent, final, wanted, (piece, data) => Write(piece, data.Span), cancellationToken);
                    for (var i = 0; i < have.Length; i++) have[i] |= copied[i];
                }
                File.Delete(FinalPath);
                SaveResume(have);
            }
            return Counted(have);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException ||
                                  e is AggregateException { InnerException: IOException or UnauthorizedAccessException })
        {
            var cause = e is AggregateException a ? a.InnerException! : e;
            throw new DownloadException(DownloadErrorReason.Storage, $"Cannot use {PartPath}: {cause.Message}", cause);
        }
    }

    /// <summary>True when the final file was already complete and valid: nothing to fetch, nothing to rename.</summary>
    public bool IsFinalInPlace { get; private set; }

    /// <summary>Opens or creates the part file at the torrent's length; returns its length before that.</summary>
    private long OpenPart()
    {
        _handle = File.OpenHandle(PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var length = RandomAccess.GetLength(_handle);
        if (length != _torrent.Length) RandomAccess.SetLength(_handle, _torrent.Length);
        return length;
    }

    private bool[] Counted(bool[] have)
    {
        for (var piece = 0; piece < have.Length; piece++) if (have[piece]) BytesAlreadyOnDisk += PieceVerifier.PieceSize(_torrent, piece);
        return have;
    }

    private bool[] All(bool value)
    {
        var pieces = new bool[_torrent.PieceCount];
        if (value) Array.Fill(pieces, true);
        return pieces;
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
            if (IsFinalInPlace)
            {
                _handle!.Dispose();
                return;
            }
            RandomAccess.FlushToDisk(Handle);
            _handle!.Dispose();
            File.Move(PartPath, FinalPath, overwrite: true);
            File.Delete(ResumePath);
        }
    }

    private SafeFileHandle Handle => _handle ?? throw new InvalidOperationException("The part file is not open.");

    /// <summary>The pieces the resume file claims; null if it is missing, damaged or for another torrent.</summary>
    private bool[]? ReadResume()
    {
        var claimed = new bool[_torrent.PieceCount];
        if (!File.Exists(PartPath)) return claimed;
        if (!File.Exists(ResumePath)) return null;
        var bitsLength = (claimed.Length + 7) / 8;
        if (new FileInfo(ResumePath).Length != Magic.Length + 36 + bitsLength) return null;
        var bytes = File.ReadAllBytes(ResumePath);
        if (bytes.Length != Magic.Length + 36 + bitsLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic) ||
            !bytes.AsSpan(Magic.Length, 32).StartsWith(_torrent.InfoHash.Span) ||
            bytes.AsSpan(Magic.Length + _torrent.InfoHash.Length, 32 - _torrent.InfoHash.Length).ContainsAnyExcept((byte)0) ||
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(Magic.Length + 32)) != claimed.Length)
        {
            return null;
        }
        var bits = bytes.AsSpan(Magic.Length + 36);
        for (var i = 0; i < claimed.Length; i++) claimed[i] = (bits[i / 8] & (0x80 >> (i % 8))) != 0;
        return claimed;
    }

    public void Dispose() => _handle?.Dispose();
}
