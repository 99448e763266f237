using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.Hosting;
using NarSeed.Mirror;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Proxy;

/// <summary>
/// Asks every upstream for a narinfo at once; the first one whose signature checks out wins, the rest are cancelled.
/// All of it is bounded by <see cref="ProxyOptions.NarInfoTimeout"/>, and every failure (404, 5xx, hang, garbage,
/// bad signature) only counts as "not there", so Nix gets a fast 404 and never a 5xx.
/// </summary>
public sealed class UpstreamNarInfos : IDisposable
{
    /// <summary>Accepted narinfos remembered (~2 KB each) for the nar requests that follow; past it the map starts over.</summary>
    public const int MaxRemembered = 20_000;

    private readonly ProxyOptions _options;
    private readonly SubstituterClient[] _clients;
    private readonly SubstituterClient[] _narClients;
    private readonly NixPublicKey[] _keys;
    private readonly GuixPublicKey[] _guixKeys;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ProxiedNar> _known = new(StringComparer.Ordinal);

    public UpstreamNarInfos(IOptions<ProxyOptions> options, ILogger<UpstreamNarInfos> logger)
    {
        _options = options.Value;
        _logger = logger;
        var clientOptions = new SubstituterClientOptions
        {
            // One attempt per narinfo: the fan-out's deadline is the retry policy (another upstream may answer).
            MaxAttempts = 1,
            ConnectTimeout = _options.NarInfoTimeout,
            ReadTimeout = _options.NarInfoTimeout,
        };
        _clients = _options.Upstreams.Select(u => new SubstituterClient(new Uri(u), clientOptions, logger: logger)).ToArray();
        // Nars get the client defaults: long reads, retries resuming with Range.
        _narClients = _options.Upstreams.Select(u => new SubstituterClient(new Uri(u), logger: logger)).ToArray();
        var guix = _options.Dialect == StoreDialect.Guix;
        // Guix: each --trusted-key is a public-key file or an ACL of keys (as the node's --trusted-key).
        _keys = guix ? [] : _options.TrustedKeys.Select(NixPublicKey.Parse).ToArray();
        _guixKeys = guix ? _options.TrustedKeys.SelectMany(k => GuixPublicKey.ParseAll(File.ReadAllText(k))).ToArray() : [];
    }

    /// <summary>A narinfo accepted before (nar requests come right after their narinfo).</summary>
    public bool TryGetKnown(string hashPart, out ProxiedNar nar) => _known.TryGetValue(hashPart, out nar!);

    /// <summary>The first acceptable narinfo from any upstream, or null when none has one in time.</summary>
    public async Task<ProxiedNar?> LookupAsync(string hashPart, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.NarInfoTimeout);
        var pending = _clients.Select((c, i) => TryUpstreamAsync(c, _narClients[i], hashPart, deadline.Token)).ToList();
        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                if (await done.ConfigureAwait(false) is { } found)
                {
                    if (_known.Count >= MaxRemembered) _known.Clear();
                    _known[hashPart] = found;
                    return found;
                }
            }
            return null;
        }
        finally
        {
            await deadline.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<ProxiedNar?> TryUpstreamAsync(SubstituterClient client, SubstituterClient narClient, string hashPart, CancellationToken token)
    {
        await Task.Yield();
        try
        {
            if (_options.Dialect == StoreDialect.Guix)
            {
                var guixText = await client.TryGetNarInfoTextAsync(hashPart, token).ConfigureAwait(false);
                return guixText is null ? null : AcceptGuix(guixText, client, narClient, hashPart);
            }
            var info = await client.TryGetNixNarInfoAsync(hashPart, _options.StoreDirectory, token).ConfigureAwait(false);
            if (info is null) return null;
            var check = NixSignatureVerifier.Verify(info, _keys);
            // A content-addressed path needs no signature in Nix (it checks the CA itself); everything else does.
            if (check.Verdict != SignatureVerdict.Valid && info.ContentAddress is null)
            {
                ProxyLog.NarInfoRejected(_logger, hashPart, client.BaseUri, check.Verdict.ToString());
                return null;
            }
            var origin = client.ResolveNarUri(info.Url);
            var magnet = info.GetExtraField("Magnet") is { } text && MagnetLink.TryParse(text, out var m) ? m : null;
            var fileName = hashPart + NarSuffix(origin);
            var served = Encoding.UTF8.GetBytes(info.WithField("URL", "nar/" + fileName).Text);
            return new ProxiedNar(hashPart, info.FileSize, info.FileHash, served, fileName, magnet, origin, narClient);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is SubstituterException or NarInfoFormatException or HttpRequestException
                                      or IOException or ArgumentException)
        {
            ProxyLog.UpstreamFailed(_logger, hashPart, client.BaseUri, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Guix: the signature is checked over the signed part; the served narinfo keeps that part and the Signature line
    /// byte for byte and names one unsigned URL group, the proxy's, in the preferred compression (zstd, then lzip, as
    /// the node mirrors). The older layout (URLs signed) cannot be repointed and is refused.
    /// </summary>
    private ProxiedNar? AcceptGuix(string text, SubstituterClient client, SubstituterClient narClient, string hashPart)
    {
        var info = GuixNarInfo.Parse(text, _options.StoreDirectory);
        var verdict = info.StorePath.HashPart == hashPart
            ? GuixSignatureVerifier.Verify(info, _guixKeys)
            : GuixSignatureVerdict.Corrupt;
        if (verdict != GuixSignatureVerdict.Valid)
        {
            ProxyLog.NarInfoRejected(_logger, hashPart, client.BaseUri, verdict.ToString());
            return null;
        }
        var entry = NarMirror.ChooseGuixEntry(info.Entries, NarMirror.DefaultGuixCompressions);
        if (entry is null || info.HasSignedUrls)
        {
            ProxyLog.NarInfoRejected(_logger, hashPart, client.BaseUri, "no unsigned URL group the proxy can repoint");
            return null;
        }
        var magnetText = info.GetExtraField("Magnet");
        var magnet = magnetText is not null && MagnetLink.TryParse(magnetText, out var m) ? m : null;
        var fileName = hashPart + ".nar" + entry.Compression.FileExtension();
        var served = info.WithOnlyEntry("nar/" + fileName, entry.Compression.ToName(), entry.FileSize);
        if (magnetText is not null) served = served.WithExtraField("Magnet", magnetText);
        return new ProxiedNar(hashPart, entry.FileSize, null, Encoding.UTF8.GetBytes(served.Text), fileName, magnet,
            client.ResolveNarUri(entry.Url), narClient);
    }

    /// <summary>".nar.xz" from ".../abc.nar.xz"; ".nar" when the name says nothing (the narinfo's Compression rules).</summary>
    private static string NarSuffix(Uri origin)
    {
        var name = Path.GetFileName(origin.AbsolutePath);
        var at = name.IndexOf(".nar", StringComparison.Ordinal);
        var suffix = at < 0 ? ".nar" : name[at..];
        return suffix.All(c => char.IsAsciiLetterOrDigit(c) || c == '.') && suffix.Length <= 16 ? suffix : ".nar";
    }

    public void Dispose()
    {
        foreach (var client in _clients.Concat(_narClients)) client.Dispose();
    }
}
