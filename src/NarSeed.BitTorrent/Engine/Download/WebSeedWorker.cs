using System.Buffers;
using NarSeed.BitTorrent.WebSeeds;

namespace NarSeed.BitTorrent.Engine.Download;

/// <summary>
/// One BEP 19 web seed of a download; <see cref="RunAsync"/> runs once per connection. It takes runs of consecutive
/// missing pieces (one Range each), verifies every piece, and is dropped when a piece fails verification, when the
/// server answers with a wrong range or a refused redirect, or after too many failures in a row. Policy: it works when
/// no peer has delivered a verified piece within <see cref="DownloadOptions.WebSeedDelay"/> (at once when there are no
/// peer sources), and beside the peers whenever the swarm is slower than this seed.
/// </summary>
internal sealed class WebSeedWorker(TorrentDownload download, WebSeedClient client, string url)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);

    private readonly Uri _uri = Resolve(url, download.Torrent!.Name);
    private int _consecutiveFailures;
    private int _dropped;
    private double _bytesPerSecond;

    public async Task RunAsync(CancellationToken token)
    {
        var torrent = download.Torrent!;
        var picker = download.Picker!;
        var options = download.Options.WebSeed;
        var maxPieces = Math.Max(1, options.MaxRequestBytes / torrent.PieceLength);
        while (!token.IsCancellationRequested && Volatile.Read(ref _dropped) == 0 && !download.IsComplete)
        {
            if (!Engaged())
            {
                await Task.Delay(IdlePoll, download.Time, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            var (first, count) = picker.PickRun(maxPieces, allowEndGame: true);
            if (first < 0)
            {
                await Task.Delay(IdlePoll, download.Time, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            var start = (long)first * torrent.PieceLength;
            var length = (int)(Math.Min(torrent.Length, (long)(first + count) * torrent.PieceLength) - start);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            var committed = 0;
            try
            {
                var began = download.Time.GetTimestamp();
                // Each piece is verified and committed as soon as its bytes are in, while the rest of the range streams.
                void CommitFilled(int filled)
                {
                    while (committed < count)
                    {
                        var piece = first + committed;
                        var offset = committed * torrent.PieceLength;
                        var size = PieceVerifier.PieceSize(torrent, piece);
                        if (offset + size > filled) return;
                        committed++;
                        if (download.CommitPiece(piece, buffer.AsSpan(offset, size), fromWebSeed: true) == PieceVerdict.Bad)
                        {
                            throw new BadWebSeedDataException($"piece {piece} failed verification");
                        }
                    }
                }
                await client.ReadRangeAsync(_uri, torrent.Length, start, buffer.AsMemory(0, length), token, CommitFilled).ConfigureAwait(false);
                download.CountReceived(length);
                var seconds = Math.Max(download.Time.GetElapsedTime(began).TotalSeconds, 1e-6);
                _bytesPerSecond = length / seconds;
                _consecutiveFailures = 0;
            }
            catch (BadWebSeedDataException e)
            {
                download.CountReceived(committed * (long)torrent.PieceLength);
                Drop(e.Message);
            }
            catch (WebSeedException e) when (!token.IsCancellationRequested)
            {
                if (!e.IsTransient) Drop(e.Message);
                else if (++_consecutiveFailures >= options.MaxConsecutiveFailures) Drop($"{_consecutiveFailures} failures in a row, last: {e.Message}");
                else
                {
                    var delay = e.RetryAfter ?? options.RetryDelay * Math.Pow(2, _consecutiveFailures - 1);
                    if (delay > options.MaxRetryDelay) delay = options.MaxRetryDelay;
                    if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
                    DownloadLog.WebSeedRetry(download.Log, url, delay, e.Message);
                    ReleaseFrom(picker, first + committed, count - committed);
                    committed = count;
                    await Task.Delay(delay, download.Time, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            finally
            {
                ReleaseFrom(picker, first + committed, count - committed);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Whether this seed should fetch now (see the class summary).</summary>
    private bool Engaged()
    {
        if (!download.HasPeerSources) return true;
        if (download.SinceLastPeerPiece >= download.Options.WebSeedDelay) return true;
        return _bytesPerSecond > download.PeerBytesPerSecond;
    }

    private void Drop(string detail)
    {
        // Both connections of a seed may fail at once; the seed is dropped (and counted) once.
        if (Interlocked.Exchange(ref _dropped, 1) == 1) return;
        download.OnWebSeedDropped(url, detail);
    }

    private static void ReleaseFrom(PiecePicker picker, int first, int count)
    {
        for (var i = 0; i < count; i++) picker.Release(first + i);
    }

    /// <summary>Raised inside a read when a piece from this seed fails verification: the seed is dropped.</summary>
    private sealed class BadWebSeedDataException(string message) : Exception(message);

    /// <summary>BEP 19: a URL ending in '/' names a directory; the torrent's name is appended.</summary>
    private static Uri Resolve(string url, string name) =>
        new(url.EndsWith('/') ? url + Uri.EscapeDataString(name) : url);
}
