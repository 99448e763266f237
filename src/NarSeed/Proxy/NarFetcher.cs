using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Proxy;

/// <summary>
/// Serves one nar to Nix: from the fetched-nar cache; else from the swarm (the narinfo's magnet, streamed in order,
/// verified piece by piece) when it hands over a first verified piece within <see cref="ProxyOptions.SwarmDeadline"/>;
/// else from the upstream's nar URL. The source is chosen with the first verified bytes in hand, so when every
/// source fails Nix gets a clean 404 and not one byte. Nix receives exactly the origin's compressed file.
/// </summary>
public sealed partial class NarFetcher
{
    /// <summary>With no verified progress for this long, a swarm fetch that has already sent bytes gives up.</summary>
    public static readonly TimeSpan SwarmStallTimeout = TimeSpan.FromSeconds(30);

    private const string NarContentType = "application/x-nix-nar";

    private readonly ProxyOptions _options;
    private readonly FetchedNarCache _cache;
    private readonly ProxyCounters _counters;
    private readonly FetchedNarSeeder _seeder;
    private readonly ILogger _logger;
    private readonly IPEndPoint[] _peers;
    private readonly ProxyDiscovery _discovery;

    public NarFetcher(IOptions<ProxyOptions> options, FetchedNarCache cache, ProxyCounters counters,
        FetchedNarSeeder seeder, ProxyDiscovery discovery, ILogger<NarFetcher> logger)
    {
        _options = options.Value;
        _cache = cache;
        _counters = counters;
        _seeder = seeder;
        _discovery = discovery;
        _logger = logger;
        _peers = _options.Peers.Select(IPEndPoint.Parse).ToArray();
    }

    public async Task ServeAsync(HttpContext context, ProxiedNar nar, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var record = await ServeCoreAsync(context, nar, cancellationToken).ConfigureAwait(false)
                     with { Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        _counters.Add(record);
        ProxyLog.Fetched(_logger, nar.HashPart, record.Source, record.BytesSent, record.Seconds, record.BytesFromPeers,
            record.BytesFromWebSeeds, record.BytesFromOrigin, record.BytesFromCache, record.PeersBanned);
    }

    private async Task<FetchRecord> ServeCoreAsync(HttpContext context, ProxiedNar nar, CancellationToken cancellationToken)
    {
        if (_cache.TryOpen(nar.NarFileName, out var cached))
        {
            await using (cached.ConfigureAwait(false))
            {
                Start(context, cached.Length);
                await cached.CopyToAsync(context.Response.Body, cancellationToken).ConfigureAwait(false);
                return new FetchRecord(nar.HashPart, FetchSource.Cache, cached.Length, 0, 0, 0, cached.Length, 0, 0);
            }
        }
        if (nar.Magnet is not null)
        {
            var swarm = await TrySwarmAsync(context, nar, cancellationToken).ConfigureAwait(false);
            if (swarm is not null) return swarm;
        }
        return await FromOriginAsync(context, nar, cancellationToken).ConfigureAwait(false);
    }

    private static void Start(HttpContext context, long? length)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = NarContentType;
        context.Response.ContentLength = length;
    }

    /// <summary>A clean failure: nothing was sent, so Nix sees "not here" and may try its next substituter.</summary>
    private static async Task<FetchRecord> FailAsync(HttpContext context, ProxiedNar nar)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("Not Found\n").ConfigureAwait(false);
        return new FetchRecord(nar.HashPart, FetchSource.Failed, 0, 0, 0, 0, 0, 0, 0);
    }

    /// <summary>Checks a finished file against the narinfo's FileHash (when it has one, sha256) before caching it.</summary>
    private bool MatchesFileHash(ProxiedNar nar, byte[] sha256)
    {
        if (nar.FileHash is not { } expected) return true;
        if (expected.Algorithm != HashAlgorithmKind.Sha256) return true;
        if (expected.Digest.SequenceEqual(sha256)) return true;
        ProxyLog.FileHashMismatch(_logger, nar.HashPart);
        return false;
    }

    /// <summary>Copies <paramref name="source"/> to Nix and to <paramref name="file"/>, hashing as it goes.</summary>
    private static async Task<long> CopyAsync(Stream source, HttpContext context, Stream file, IncrementalHash hash,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[128 * 1024];
        long total = 0;
        while (true)
        {
            var n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) return total;
            hash.AppendData(buffer, 0, n);
            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            total += n;
        }
    }
}
