using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.Seeding;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Mirror;

/// <summary>
/// One pass over the roots' closures: a channel of hash parts worked by <see cref="MirrorOptions.Concurrency"/> workers,
/// so narinfo requests are pipelined and bounded. Each path: narinfo from the first origin that has it, signature
/// checked against the trusted keys, nar downloaded (Range resume) into a temporary file, FileHash/FileSize and
/// NarHash/NarSize verified, file committed, torrent built, catalog rows written, seeding started. A refused path
/// (signature, nar bytes, URL) is logged and counted and never seeded; a transfer failure is retried with back-off
/// inside the pass; neither holds up the other paths.
/// </summary>
public sealed partial class NarMirror : IDisposable
{
    private readonly NarCatalog _catalog;
    private readonly NarStore _store;
    private readonly SeedingService _seeding;
    private readonly MirrorProgress _progress;
    private readonly NodeOptions _options;
    private readonly ILogger<NarMirror> _logger;
    private readonly IReadOnlyList<NixPublicKey> _trustedKeys;
    private readonly IReadOnlyList<GuixPublicKey> _guixKeys;
    private readonly IReadOnlyList<(string Origin, SubstituterClient Client)> _origins;

    // One pass at a time: two passes over one closure would fetch the same path twice and race to store it.
    private readonly SemaphoreSlim _onePass = new(1, 1);

    public NarMirror(NarCatalog catalog, NarStore store, SeedingService seeding, MirrorProgress progress,
        IOptions<NodeOptions> options, ILogger<NarMirror> logger, SubstituterClientOptions? clientOptions = null)
    {
        _catalog = catalog;
        _store = store;
        _seeding = seeding;
        _progress = progress;
        _options = options.Value;
        _logger = logger;
        _trustedKeys = _options.Dialect == StoreDialect.Nix
            ? _options.TrustedKeys.Select(NixPublicKey.Parse).ToList()
            : [];
        _guixKeys = _options.Dialect == StoreDialect.Guix
            ? _options.TrustedKeys.SelectMany(k => GuixPublicKey.ParseAll(File.ReadAllText(k))).ToList()
            : [];
        _origins = _options.Origins
            .Select(o => (o.TrimEnd('/'), new SubstituterClient(new Uri(o.TrimEnd('/') + "/"), clientOptions)))
            .ToList();
    }

    /// <summary>
    /// Walks the closure of every root in the catalog once; returns the number of failed paths. A pass asked for
    /// while another runs waits for it, then reads the roots afresh (roots added meanwhile are walked).
    /// </summary>
    public async Task<long> RunPassAsync(CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken);
        try
        {
            var roots = await _catalog.ListRootsAsync(cancellationToken);
            return await MirrorClosureAsync(roots.Select(r => r.HashPart).ToList(), cancellationToken);
        }
        finally
        {
            _onePass.Release();
        }
    }

    /// <summary>Mirrors the closure of the given hash parts; returns the number of paths that failed.</summary>
    private async Task<long> MirrorClosureAsync(IReadOnlyList<string> roots, CancellationToken cancellationToken)
    {
        var failuresBefore = _progress.TotalFailures;
        var channel = Channel.CreateUnbounded<WorkItem>();
        var seen = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var outstanding = 1; // the walk itself, released once the roots are queued
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        void Enqueue(WorkItem item)
        {
            Interlocked.Increment(ref outstanding);
            _progress.AddQueued(1);
            channel.Writer.TryWrite(item);
        }

        void Release()
        {
            if (Interlocked.Decrement(ref outstanding) == 0)
            {
                channel.Writer.TryComplete();
            }
        }

        foreach (var root in roots.Where(r => seen.TryAdd(r, 0)))
        {
            Enqueue(new WorkItem(root, 1));
        }
        Release();

        var workers = Enumerable.Range(0, _options.Mirror.Concurrency).Select(worker => Task.Run(async () =>
        {
            await foreach (var item in channel.Reader.ReadAllAsync(pass.Token))
            {
                try
                {
                    var outcome = await MirrorPathAsync(item.HashPart, pass.Token);
                    foreach (var reference in outcome.References.Where(r => seen.TryAdd(r, 0)))
                    {
                        Enqueue(new WorkItem(reference, 1));
                    }
                    if (outcome.Retry && item.Attempt < _options.Mirror.MaxAttempts)
                    {
                        _progress.AddRetry();
                        Interlocked.Increment(ref outstanding);
                        _progress.AddQueued(1);
                        var delay = _options.Mirror.RetryBackoff * Math.Pow(2, item.Attempt - 1);
                        _ = RequeueAfterAsync(channel.Writer, item with { Attempt = item.Attempt + 1 }, delay, pass.Token);
                    }
                }
                finally
                {
                    _progress.AddQueued(-1);
                    Release();
                }
            }
        }, pass.Token)).ToList();
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            await pass.CancelAsync();
            _progress.AddQueued(-_progress.Queued);
        }
        return _progress.TotalFailures - failuresBefore;
    }

    private static async Task RequeueAfterAsync(
        ChannelWriter<WorkItem> writer, WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            writer.TryWrite(item);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Mirrors one path; returns the references to walk next and whether to try again later.</summary>
    private async Task<PathOutcome> MirrorPathAsync(string hashPart, CancellationToken cancellationToken)
    {
        try
        {
            var present = await TryUsePresentAsync(hashPart, cancellationToken);
            if (present is not null)
            {
                return present;
            }
            return await FetchAsync(hashPart, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SubstituterException e) when (e.Reason == SubstituterErrorReason.TooLarge)
        {
            return Refuse(hashPart, MirrorFailure.NarBytes, e.Message, []);
        }
        catch (SubstituterException e)
        {
            _progress.AddFailure(MirrorFailure.Transfer);
            Log.MirrorTransferFailed(_logger, hashPart, e.Message);
            return new PathOutcome([], Retry: true);
        }
        catch (Exception e)
        {
            // Disk, catalog or an unexpected bug: this path fails, the others go on.
            _progress.AddFailure(MirrorFailure.Local);
            Log.MirrorLocalFailed(_logger, hashPart, e);
            return new PathOutcome([], Retry: true);
        }
    }

    /// <summary>A path already ready in the catalog: walk on from its catalogued references, seed it if not yet.</summary>
    private async Task<PathOutcome?> TryUsePresentAsync(string hashPart, CancellationToken cancellationToken)
    {
        var nar = await _catalog.FindNarAsync(hashPart, cancellationToken);
        if (nar is null || nar.State == NarState.Pending)
        {
            return null;
        }
        var path = await _catalog.FindStorePathAsync(hashPart, cancellationToken);
        if (path is null)
        {
            return null;
        }
        if (nar.State == NarState.Ready && !_seeding.TryGetByHash(hashPart, out _))
        {
            var torrent = await _catalog.FindTorrentAsync(nar.Id, cancellationToken);
            if (torrent is null)
            {
                // A crash came between the nar row and the torrent row: build the torrent again from the file.
                var (_, record) = await NarTorrents.BuildAsync(nar.Id, _store.GetPath(nar.LocalPath), nar.LocalPath,
                    nar.OriginUrl, _options.BitTorrent.Hybrid, _options.BitTorrent.Trackers, cancellationToken);
                await _catalog.SetTorrentAsync(record, cancellationToken);
                torrent = record;
            }
            await _seeding.SeedAsync(nar, torrent, cancellationToken);
        }
        _progress.AddAlreadyPresent();
        return new PathOutcome(path.References.Where(r => r != hashPart).ToList(), Retry: false);
    }

    private PathOutcome Refuse(string hashPart, MirrorFailure reason, string detail, IReadOnlyList<string> references)
    {
        _progress.AddFailure(reason);
        Log.MirrorRefused(_logger, hashPart, reason, detail);
        return new PathOutcome(references, Retry: false);
    }

    private sealed record WorkItem(string HashPart, int Attempt);

    private sealed record PathOutcome(IReadOnlyList<string> References, bool Retry);

    public void Dispose()
    {
        foreach (var (_, client) in _origins)
        {
            client.Dispose();
        }
    }
}
