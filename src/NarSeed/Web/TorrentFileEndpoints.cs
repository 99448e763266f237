using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;
using NarSeed.Hosting;
using NarSeed.Seeding;

namespace NarSeed.Web;

/// <summary><c>GET|HEAD /&lt;hash&gt;.torrent</c>: the <c>.torrent</c> file of a seeded nar, rebuilt from the catalog.</summary>
public static class TorrentFileEndpoints
{
    public const string ContentType = "application/x-bittorrent";

    public static IEndpointRouteBuilder MapTorrentFiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/{hash}.torrent", [HttpMethods.Get, HttpMethods.Head], GetAsync);
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, ContentHttpResult>> GetAsync(
        string hash, SeedingService seeding, IOptions<NodeOptions> options, CancellationToken cancellationToken)
    {
        if (!StorePathText.IsHashPart(hash) || !seeding.TryGetByHash(hash, out var nar))
        {
            return NotFoundEndpoints.NotFound();
        }
        var info = await NarTorrents.RestoreAsync(nar.Nar, nar.Torrent, nar.FilePath,
            options.Value.BitTorrent.Trackers, cancellationToken);
        return TypedResults.Bytes(info.ToTorrentFile(), ContentType);
    }
}
