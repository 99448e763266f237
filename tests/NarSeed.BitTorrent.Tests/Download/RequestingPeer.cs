using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Download;

/// <summary>
/// A scripted leecher written with NarSeed's Wire codec, for the downloader's upload side. On the first connection it
/// says it has nothing and is interested; once unchoked and told of a piece by HAVE it asks for a block of that piece
/// and a block of <see cref="MissingPiece"/>, then sends a request outside the torrent; it records the answers and
/// whether the downloader then closed the connection.
/// </summary>
internal sealed class RequestingPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TorrentInfo _torrent;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;

    public RequestingPeer(TorrentInfo torrent, int missingPiece)
    {
        _torrent = torrent;
        MissingPiece = missingPiece;
        _listener.Start();
        _serving = ServeFirstAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int MissingPiece { get; }

    /// <summary>Completes when the script has run and the downloader closed the connection.</summary>
    public Task Done => _done.Task;

    public List<int> Haves { get; } = [];

    /// <summary>The piece asked for and the block the downloader sent for it (piece, bytes).</summary>
    public (int Piece, byte[] Block)? Served { get; private set; }

    public List<uint> Rejected { get; } = [];

    private async Task ServeFirstAsync()
    {
        try
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            await using var stream = new NetworkStream(socket);
            var input = PipeReader.Create(stream);
            var output = PipeWriter.Create(stream);
            var greeted = false;
            var unchoked = false;
            var asked = false;
            while (true)
            {
                var result = await input.ReadAsync(_stop.Token);
                var reader = new SequenceReader<byte>(result.Buffer);
                if (!greeted && Handshake.TryRead(ref reader, out _))
                {
                    greeted = true;
                    Handshake.Write(output, ReservedBits.Fast, _torrent.TruncatedInfoHashV2.Span, new byte[20]);
                    StateMessage.Write(output, MessageId.HaveNone);
                    StateMessage.Write(output, MessageId.Interested);
                }
                while (greeted && WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out var length, out var id))
                {
                    var frame = reader;
                    reader.Advance(WireFrame.LengthPrefixSize + length);
                    if (id == MessageId.Unchoke) unchoked = true;
                    else if (id == MessageId.Have && PieceIndexMessage.TryRead(ref frame, MessageId.Have, out var have)) Haves.Add((int)have.Index);
                    else if (id == MessageId.RejectRequest && BlockRequestMessage.TryRead(ref frame, MessageId.RejectRequest, out var reject)) Rejected.Add(reject.Index);
                    else if (id == MessageId.Piece && PieceMessage.TryRead(ref frame, WireLimits.BlockSize, out var piece))
                    {
                        Served = ((int)piece.Index, piece.Block.ToArray());
                    }
                }
                if (unchoked && !asked && Haves.Count > 0)
                {
                    asked = true;
                    new BlockRequestMessage(MessageId.Request, (uint)Haves[0], WireLimits.BlockSize, WireLimits.BlockSize).Write(output);
                    new BlockRequestMessage(MessageId.Request, (uint)MissingPiece, 0, WireLimits.BlockSize).Write(output);
                }
                if (asked && Served is not null && Rejected.Count > 0)
                {
                    // Now a request past the last piece: the downloader must hang up.
                    new BlockRequestMessage(MessageId.Request, (uint)_torrent.PieceCount, 0, WireLimits.BlockSize).Write(output);
                }
                input.AdvanceTo(reader.Position, result.Buffer.End);
                await output.FlushAsync(_stop.Token);
                if (result.IsCompleted) break;
            }
            _done.TrySetResult();
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            _done.TrySetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
    }
}
