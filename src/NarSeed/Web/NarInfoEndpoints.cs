using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NarSeed.Catalog;
using NarSeed.Seeding;

namespace NarSeed.Web;

/// <summary>
/// <c>GET|HEAD /&lt;hash&gt;.narinfo</c>: the node's narinfo of a seeded nar (origin text, node URL, Magnet, optional
/// node Sig; see <see cref="NodeNarInfos"/>). The hash part's shape is checked before any lookup; a path the node does
/// not seed is the fast 404, answered from memory.
/// </summary>
public static class NarInfoEndpoints
{
    public const string ContentType = "text/x-nix-narinfo";

    public static IEndpointRouteBuilder MapNarInfos(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/{hash}.narinfo", [HttpMethods.Get, HttpMethods.Head], GetAsync);
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, ContentHttpResult>> GetAsync(
        string hash, SeedingService seeding, NodeNarInfos narInfos, NarUsageCounters usage,
        CancellationToken cancellationToken)
    {
        if (!StorePathText.IsHashPart(hash) || !seeding.TryGetByHash(hash, out var nar))
        {
            return NotFoundEndpoints.NotFound();
        }
        var body = await narInfos.GetAsync(nar, cancellationToken);
        if (body is null)
        {
            return NotFoundEndpoints.NotFound();
        }
        usage.RecordRequest(nar.NarId);
        return TypedResults.Bytes(body, ContentType);
    }
}
