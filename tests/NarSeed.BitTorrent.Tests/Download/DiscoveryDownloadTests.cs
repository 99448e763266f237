using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using NarSeed.BitTorrent.Discovery;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>The download as a discovery client: it registers itself, reports progress, completes, and never dials itself.</summary>
public sealed class DiscoveryDownloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_download_announces_started_with_bytes_left_then_completed_then_stopped_and_never_dials_its_own_endpoint()
    {
        await using var bed = await DownloadTestBed.CreateAsync(512 * 1024, pieceLength: 16 * 1024);
        var good = await bed.StartSeederAsync();
        // A listener on the port the download announces as its own: a tracker hands that endpoint back (opentracker
        // does), and dialling it would be a connection to ourselves. Any accept here is a failure.
        using var own = new TcpListener(IPAddress.Loopback, 0);
        own.Start();
        var ownEndPoint = (IPEndPoint)own.LocalEndpoint;
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var socket = await own.AcceptSocketAsync();
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        var source = new RecordingSource([ownEndPoint, good]);
        var options = bed.Options("out");
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = options.OutputDirectory, Discovery = source, ListenPort = ownEndPoint.Port,
            HeartbeatInterval = options.HeartbeatInterval,
        });

        var result = await download.RunAsync().WaitAsync(Bound);

        bed.AssertSameAsSource(result.Path);
        source.Events.Should().Equal("add", "completed", "remove");
        source.LeftAtAdd.Should().Be(bed.Torrent.Length, "nothing is on disk yet: trackers must count us as a leecher");
        var torrent = source.Added!;
        torrent.Key.ToArray().Should().Equal(bed.Torrent.InfoHashV2[..20].ToArray());
        torrent.Progress!().Should().Be(new TrackerProgress(0, bed.Torrent.Length, 0));
        Volatile.Read(ref accepted).Should().Be(0, "our own announced endpoint is never dialled");
        download.SelfEndPoints.Should().Contain(ownEndPoint);
    }

    /// <summary>Records what the download asks of discovery; knows two peers for any torrent.</summary>
    private sealed class RecordingSource(IReadOnlyList<IPEndPoint> peers) : IPeerSource
    {
        private readonly ConcurrentQueue<string> _events = new();

        public IReadOnlyList<string> Events => [.. _events];

        public DiscoveryTorrent? Added { get; private set; }

        public long LeftAtAdd { get; private set; } = -1;

        public bool PexEnabled => false;

        public void Add(DiscoveryTorrent torrent)
        {
            Added = torrent;
            LeftAtAdd = torrent.Progress!().Left;
            _events.Enqueue("add");
        }

        public void MarkCompleted(DiscoveryTorrent torrent)
        {
            if (ReferenceEquals(torrent, Added)) _events.Enqueue("completed");
        }

        public bool Remove(DiscoveryTorrent torrent)
        {
            if (ReferenceEquals(torrent, Added)) _events.Enqueue("remove");
            return true;
        }

        public async IAsyncEnumerable<DiscoveredPeer> WatchAsync(ReadOnlyMemory<byte> infoHash,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var peer in peers) yield return new DiscoveredPeer(peer, PeerSource.Tracker);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public bool Report(ReadOnlySpan<byte> infoHash, IPEndPoint peer, PeerSource source) => false;
    }
}
