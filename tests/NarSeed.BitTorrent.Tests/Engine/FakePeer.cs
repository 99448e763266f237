using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>
/// A scripted peer on a real loopback socket that speaks through NarSeed's own wire codec (the other direction from
/// the seeder's): it can behave, or send whatever a hostile peer would.
/// </summary>
internal sealed class FakePeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly NetworkStream _stream;

    private FakePeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream);
    }

    public static async Task<FakePeer> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new FakePeer(socket);
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendAsync(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return SendAsync(writer.WrittenSpan.ToArray());
    }

    /// <summary>Sends our handshake for <paramref name="hash"/> and reads the seeder's; returns its reply.</summary>
    public async Task<Handshake> HandshakeAsync(ReadOnlyMemory<byte> hash,
        ReservedBits reserved = ReservedBits.Extension | ReservedBits.Fast)
    {
        var peerId = new byte[20];
        Random.Shared.NextBytes(peerId);
        await SendAsync(w => new Handshake(reserved, hash[..20], peerId).Write(w));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _input.ReadAsync(timeout.Token);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (Handshake.TryRead(ref reader, out var reply))
            {
                _input.AdvanceTo(reader.Position);
                return reply;
            }
            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted) throw new IOException("The seeder closed the connection during the handshake.");
        }
    }

    /// <summary>Reads the next whole message: its id (null for a keep-alive) and its frame bytes.</summary>
    public async Task<(MessageId? Id, byte[] Frame)> ReadMessageAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var result = await _input.ReadAsync(cts.Token);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (WireFrame.TryPeek(reader, WireLimits.MaxMessageLength, out var length, out var id))
            {
                var frame = result.Buffer.Slice(0, 4 + length).ToArray();
                _input.AdvanceTo(result.Buffer.GetPosition(4 + length));
                return (id, frame);
            }
            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted) throw new EndOfStreamException("The seeder closed the connection.");
        }
    }

    /// <summary>Reads messages until one with <paramref name="id"/> arrives.</summary>
    public async Task<byte[]> ReadUntilAsync(MessageId id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var (got, frame) = await ReadMessageAsync(deadline - DateTime.UtcNow);
            if (got == id) return frame;
        }
    }

    /// <summary>True when the seeder closes the connection within <paramref name="timeout"/> (all data read and dropped).</summary>
    public async Task<bool> IsClosedWithinAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(cts.Token);
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        _socket.Close(0);
    }
}
