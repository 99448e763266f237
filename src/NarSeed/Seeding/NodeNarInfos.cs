using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Seeding;

/// <summary>
/// The narinfos the node serves: the origin's narinfo with its URL replaced by the node's relative nar URL, a
/// <c>Magnet:</c> line (v2 info-hash, name, length, the origin's nar URL as web seed, the node as peer) and, with a
/// signing key, the node's own <c>Sig</c> (the origin's stays; URL is not part of the fingerprint). Made on first
/// request and kept (bounded) until the nar's seeding changes.
/// </summary>
public sealed class NodeNarInfos
{
    /// <summary>Narinfos kept in memory (~1–2 KB each); past it the cache starts over.</summary>
    public const int MaxCached = 50_000;

    private readonly NarCatalog _catalog;
    private readonly SeedingService _seeding;
    private readonly NodeOptions _options;
    private readonly NixSecretKey? _signingKey;
    private readonly ConcurrentDictionary<string, byte[]> _cache = new(StringComparer.Ordinal);

    public NodeNarInfos(NarCatalog catalog, SeedingService seeding, IOptions<NodeOptions> options)
    {
        _catalog = catalog;
        _seeding = seeding;
        _options = options.Value;
        _signingKey = string.IsNullOrEmpty(_options.SigningKey)
            ? null
            : NixSecretKey.Parse(File.ReadAllText(_options.SigningKey).Trim());
        _seeding.Changed += hashPart => _cache.TryRemove(hashPart, out _);
    }

    /// <summary>The served narinfo of a seeded nar, or null when the node does not serve it.</summary>
    public async ValueTask<byte[]?> GetAsync(SeededNar nar, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(nar.HashPart, out var cached))
        {
            return cached;
        }
        var path = await _catalog.FindStorePathAsync(nar.HashPart, cancellationToken);
        if (path is null)
        {
            return null;
        }
        var bytes = Build(path, nar);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }
        // Only cache while the nar is still the one seeded (GC may have retired it meanwhile).
        if (_seeding.TryGetByHash(nar.HashPart, out var current) && ReferenceEquals(current, nar))
        {
            _cache[nar.HashPart] = bytes;
        }
        return bytes;
    }

    private byte[] Build(StorePathRecord path, SeededNar nar)
    {
        if (_options.Dialect == StoreDialect.Guix)
        {
            return Encoding.UTF8.GetBytes(GuixServedText(Encoding.UTF8.GetString(path.NarInfo.Span),
                _options.StoreDirectory, nar.Nar, Magnet(nar)));
        }
        var origin = NixNarInfo.Parse(Encoding.UTF8.GetString(path.NarInfo.Span), _options.StoreDirectory);
        var text = ReplaceUrl(origin.Text, nar.Nar.Url);
        var info = NixNarInfo.Parse(text, _options.StoreDirectory).WithField("Magnet", Magnet(nar));
        if (_signingKey is not null)
        {
            info = info.WithSignature(_signingKey.Sign(info.Fingerprint()));
        }
        return Encoding.UTF8.GetBytes(info.Text);
    }

    /// <summary>
    /// Guix: the signed part and the <c>Signature:</c> line stay byte for byte; the unsigned URL groups after it are
    /// reduced to the one the node serves (its URL, compression and size), and <c>Magnet:</c> follows. Narinfos of the
    /// older layout, whose URL groups are signed, keep them unchanged.
    /// </summary>
    public static string GuixServedText(string originText, string storeDirectory, NarFileRecord nar, string magnet)
    {
        var info = GuixNarInfo.Parse(originText, storeDirectory).WithOnlyEntry(nar.Url, nar.Compression, nar.FileSize);
        return info.WithExtraField("Magnet", magnet).Text;
    }

    /// <summary>The magnet link of a seeded nar, as served in its narinfo.</summary>
    public string Magnet(SeededNar nar)
    {
        var port = _seeding.Engine?.Port ?? _options.BitTorrent.Port;
        var peer = SeedingService.AdvertisedEndpoint(_options, port);
        return new BitTorrent.Metainfo.MagnetLink
        {
            InfoHashV2 = nar.Torrent.InfoHashV2,
            InfoHashV1 = nar.Torrent.InfoHashV1,
            DisplayName = nar.Name,
            ExactLength = nar.Nar.FileSize,
            WebSeeds = [nar.WebSeed],
            Trackers = _options.BitTorrent.Trackers,
            Peers = peer is null ? [] : [(EndPoint)peer],
        }.ToString();
    }

    /// <summary>Replaces the value of the <c>URL:</c> line, keeping every other byte of the origin's text.</summary>
    private static string ReplaceUrl(string text, string url)
    {
        var start = text.StartsWith("URL: ", StringComparison.Ordinal) ? 0 : text.IndexOf("\nURL: ", StringComparison.Ordinal) + 1;
        if (start < 0 || (start == 0 && !text.StartsWith("URL: ", StringComparison.Ordinal)))
        {
            throw new FormatException("The narinfo has no URL line.");
        }
        var valueStart = start + "URL: ".Length;
        var end = text.IndexOf('\n', valueStart);
        return text[..valueStart] + url + (end < 0 ? "\n" : text[end..]);
    }
}
