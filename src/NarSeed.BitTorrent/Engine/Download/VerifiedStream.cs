using Microsoft.Win32.SafeHandles;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// The file's verified bytes, in order, while the download runs: a read returns what is verified past the position
/// and waits when nothing is. It reads the part file through its own handle (which stays valid across the final
/// rename), so nothing unverified is ever returned.
/// </summary>
internal sealed class VerifiedStream(TorrentDownload download) : Stream
{
    private SafeFileHandle? _handle;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => download.Torrent?.Length ?? throw new NotSupportedException("The length is not known yet.");

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await download.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var length = download.Torrent!.Length;
        while (true)
        {
            if (_position >= length || buffer.IsEmpty) return 0;
            var progress = download.WaitForProgressAsync();
            var available = download.ContiguousVerifiedBytes - _position;
            if (available > 0)
            {
                var count = (int)Math.Min(available, buffer.Length);
                var read = await RandomAccess.ReadAsync(Handle(), buffer[..count], _position, cancellationToken).ConfigureAwait(false);
                _position += read;
                return read;
            }
            if (download.Completion.IsFaulted) await download.Completion.ConfigureAwait(false);
            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private SafeFileHandle Handle()
    {
        if (_handle is not null) return _handle;
        foreach (var path in new[] { download.PartPath, download.FinalPath, download.PartPath, download.FinalPath })
        {
            try
            {
                return _handle = File.OpenHandle(path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
            }
        }
        throw new FileNotFoundException("Neither the part file nor the final file exists.", download.FinalPath);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle?.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
