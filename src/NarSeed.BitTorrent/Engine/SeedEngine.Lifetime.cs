using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

public sealed partial class SeedEngine
{
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _loops = [];

    /// <summary>Binds the listeners (IPv4 and IPv6) and starts accepting peers and the heartbeat.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_listeners.Count > 0) throw new InvalidOperationException("The engine is already started.");
        var port = Options.Port;
        foreach (var address in Options.ListenAddresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
            port = ((IPEndPoint)socket.LocalEndPoint!).Port; // every further address uses the same port
            _listeners.Add(socket);
            EngineLog.Listening(_log, socket.LocalEndPoint!);
        }
        Port = port;
        foreach (var listener in _listeners) _loops.Add(AcceptLoopAsync(listener, _stopping.Token));
        _loops.Add(HeartbeatAsync(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                EngineLog.AcceptFailed(_log, listener.LocalEndPoint, e);
                continue;
            }
            if (_connections.Count >= Options.MaxConnections)
            {
                EngineLog.ConnectionRefused(_log, socket.RemoteEndPoint, Options.MaxConnections);
                socket.Close(0);
                continue;
            }
            socket.NoDelay = true;
            var connection = new PeerConnection(this, socket, _log);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = Task.Run(async () =>
            {
                await started.Task.ConfigureAwait(false);
                await connection.RunAsync(cancellationToken).ConfigureAwait(false);
            }, CancellationToken.None);
            _connections[connection] = task;
            started.SetResult();
        }
    }

    /// <summary>The one timer of the engine: deadlines and keep-alives of every peer, and the choker's rounds.</summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.HeartbeatInterval, Time);
        var lastRechoke = Time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Time.GetTimestamp();
                foreach (var connection in _connections.Keys) connection.OnHeartbeat(now, Options);
                PexTick(now);
                if (Time.GetElapsedTime(lastRechoke, now) >= Options.RechokeInterval)
                {
                    lastRechoke = now;
                    Choker.Rechoke(_connections.Keys);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            EngineLog.HeartbeatFailed(_log, e);
        }
    }

    /// <summary>Stops listening, closes every peer and waits (bounded) for their tasks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        foreach (var listener in _listeners) listener.Close();
        foreach (var connection in _connections.Keys) connection.Close(null);
        var tasks = _loops.Concat(_connections.Values).ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Files.Dispose();
        _stopping.Dispose();
    }

    /// <summary>For tests and the CLI: violations of every kind so far.</summary>
    public IReadOnlyDictionary<WireProtocolErrorReason, long> Violations() =>
        Enum.GetValues<WireProtocolErrorReason>().ToDictionary(r => r, ViolationCount);
}
