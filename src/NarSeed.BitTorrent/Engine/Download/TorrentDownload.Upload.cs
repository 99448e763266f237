namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>What the connections share to upload while downloading (see <c>DownloadPeer.Upload.cs</c>).</summary>
public sealed partial class TorrentDownload
{
    private readonly object _verifiedLock = new();
    private int[] _verifiedOrder = [];
    private int _verifiedCount;
    private int _uploadSlotsTaken;
    private long _bytesUploaded;
    private UploadRateLimiter? _uploadLimiter;

    /// <summary>Payload bytes sent to peers (verified pieces they asked for).</summary>
    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    /// <summary>One bucket for all of this download's connections.</summary>
    internal UploadRateLimiter UploadLimiter =>
        LazyInitializer.EnsureInitialized(ref _uploadLimiter, () => new UploadRateLimiter(Options.UploadRateLimit, Time));

    /// <summary>How many pieces are verified so far; <see cref="VerifiedAt"/> lists them in the order they were.</summary>
    internal int VerifiedCount => Volatile.Read(ref _verifiedCount);

    internal int VerifiedAt(int index)
    {
        lock (_verifiedLock) return _verifiedOrder[index];
    }

    /// <summary>Adds a verified piece to the list the connections announce with HAVE.</summary>
    private void RecordVerified(int piece)
    {
        lock (_verifiedLock)
        {
            if (_verifiedOrder.Length == 0) _verifiedOrder = new int[_torrent!.PieceCount];
            _verifiedOrder[_verifiedCount] = piece;
            Volatile.Write(ref _verifiedCount, _verifiedCount + 1);
        }
    }

    /// <summary>Takes one of <see cref="DownloadOptions.UploadSlots"/>; false when all are taken.</summary>
    internal bool TryTakeUploadSlot()
    {
        while (true)
        {
            var taken = Volatile.Read(ref _uploadSlotsTaken);
            if (taken >= Options.UploadSlots) return false;
            if (Interlocked.CompareExchange(ref _uploadSlotsTaken, taken + 1, taken) == taken) return true;
        }
    }

    internal void ReleaseUploadSlot() => Interlocked.Decrement(ref _uploadSlotsTaken);

    internal void CountUploaded(int bytes) => Interlocked.Add(ref _bytesUploaded, bytes);
}
