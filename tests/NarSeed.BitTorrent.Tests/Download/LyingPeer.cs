using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>
/// A scripted peer written with NarSeed's Wire codec: it has the real metadata (so it passes the info-hash check) but
/// answers every BEP 52 hash request with made-up hashes, and every block request with wrong bytes.
/// </summary>
internal sealed class LyingPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TorrentInfo _torrent;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _hashRepliesSent;

    public LyingPeer(TorrentInfo torrent)
    {
        _torrent = torrent;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int HashRepliesSent => Volatile.Read(ref _hashRepliesSent);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                _ = ServeAsync(socket);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream);
        var output = PipeWriter.Create(stream);
        try
        {
            var greeted = false;
            while (true)
            {
                var result = await input.ReadAsync(_stop.Token);
                var reader = new SequenceReader<byte>(result.Buffer);
                if (!greeted)
                {
                    if (!Handshake.TryRead(ref reader, out _))
                    {
                        input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                        continue;
                    }
                    greeted = true;
                    Handshake.Write(output, ReservedBits.Extension | ReservedBits.Fast, _torrent.TruncatedInfoHashV2.Span, new byte[20]);
                    ExtendedMessage.Write(output, ExtendedMessage.HandshakeId, BencodeWriter.Encode(w =>
                    {
                        w.WriteStartDictionary();
                        w.WriteKey("m");
                        w.WriteStartDictionary();
                        w.WriteKey("ut_metadata");
                        w.WriteInteger(3);
                        w.WriteEndDictionary();
                        w.WriteKey("metadata_size");
                        w.WriteInteger(_torrent.RawInfo.Length);
                        w.WriteEndDictionary();
                    }));
                    StateMessage.Write(output, MessageId.HaveAll);
                    StateMessage.Write(output, MessageId.Unchoke);
                }
                while (WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out var length, out var id))
                {
                    var frame = reader;
                    reader.Advance(WireFrame.LengthPrefixSize + length);
                    if (id == MessageId.HashRequest && HashRequestMessage.TryRead(ref frame, MessageId.HashRequest, out var request))
                    {
                        var count = MerkleProofs.HashCount(new MerkleProofRequest((int)request.BaseLayer, (int)request.Index,
                            (int)request.Length, (int)request.ProofLayers));
                        var lies = new byte[count * MerkleTree.HashSize];
                        Random.Shared.NextBytes(lies);
                        HashesMessage.Write(output, request, lies);
                        Interlocked.Increment(ref _hashRepliesSent);
                    }
                    else if (id == MessageId.Extended && ExtendedMessage.TryRead(ref frame, out var extended) && extended.ExtendedId == 3)
                    {
                        // Any ut_metadata request: piece 0 of the real info dict (the test's torrents fit in one piece).
                        var header = BencodeWriter.Encode(w =>
                        {
                            w.WriteStartDictionary();
                            w.WriteKey("msg_type");
                            w.WriteInteger(1);
                            w.WriteKey("piece");
                            w.WriteInteger(0);
                            w.WriteKey("total_size");
                            w.WriteInteger(_torrent.RawInfo.Length);
                            w.WriteEndDictionary();
                        });
                        ExtendedMessage.Write(output, 2, header, _torrent.RawInfo.Span);
                    }
                    else if (id == MessageId.Request && BlockRequestMessage.TryRead(ref frame, MessageId.Request, out var block))
                    {
                        var junk = new byte[block.Length];
                        Random.Shared.NextBytes(junk);
                        PieceMessage.Write(output, block.Index, block.Begin, junk);
                    }
                }
                input.AdvanceTo(reader.Position, result.Buffer.End);
                await output.FlushAsync(_stop.Token);
                if (result.IsCompleted) return;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
