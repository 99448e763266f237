using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Discovery;

namespace NarSeed.Proxy;

/// <summary>
/// The proxy's one <see cref="PeerDiscovery"/>, shared by every swarm fetch: trackers (each magnet's <c>tr=</c>, which
/// the download announces itself, plus <see cref="ProxyOptions.Trackers"/> for every nar), LSD and PEX as configured.
/// With seed-after-fetch each nar is registered by its <see cref="FetchAnnouncement"/> from the start of its fetch to
/// the end of its seeding. Started with the host; on shutdown trackers get stopped events within the scheduler's deadline.
/// </summary>
public sealed class ProxyDiscovery : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger;
    private int _disposed;

    public ProxyDiscovery(IOptions<ProxyOptions> options, FetchedNarSeeder seeder, TimeProvider time, ILoggerFactory loggers)
    {
        var proxy = options.Value;
        _logger = loggers.CreateLogger<ProxyDiscovery>();
        PeerId = NewPeerId();
        Seeder = seeder;
        Peers = new PeerDiscovery(new DiscoveryOptions
        {
            // Trackers stay on even with none configured: magnets bring their own tr=.
            EnableTrackers = true,
            EnableLsd = proxy.Lsd,
            EnablePex = proxy.Pex,
            Trackers = proxy.Trackers.Select(t => new Uri(t, UriKind.Absolute)).ToList(),
        }, PeerId, () => ListenPort, loggers.CreateLogger<PeerDiscovery>(), time);
    }

    public PeerDiscovery Peers { get; }

    /// <summary>The peer id of every download, so a tracker handing back our own endpoint is recognised.</summary>
    public byte[] PeerId { get; }

    /// <summary>The port announced: the fetched-nar seeder's once it runs, else 0 (downloads accept no connections).</summary>
    public int ListenPort => Seeder.Port ?? 0;

    private FetchedNarSeeder Seeder { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Peers.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // Fetches go on with x.pe peers, web seeds and origins.
            ProxyLog.DiscoveryFailed(_logger, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await Peers.DisposeAsync().ConfigureAwait(false);
    }

    private static byte[] NewPeerId()
    {
        // 20 bytes (BEP 3), Azureus-style client prefix as the engine's own peer ids.
        var id = new byte[20];
        Encoding.ASCII.GetBytes("-NS0100-").CopyTo(id, 0);
        RandomNumberGenerator.Fill(id.AsSpan(8));
        return id;
    }
}
