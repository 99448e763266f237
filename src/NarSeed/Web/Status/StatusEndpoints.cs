using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NarSeed.Status;

namespace NarSeed.Web.Status;

/// <summary>
/// The status page: <c>GET /</c> (HTML, with its CSS and JS under <c>/status/</c>, all embedded in the assembly, no
/// external asset), <c>GET /api/status</c> (the header's figures and the upload chart) and <c>GET /api/torrents</c>
/// (one page of the torrent table; <c>sort</c>, <c>order</c>, <c>q</c>, <c>page</c>, <c>size</c> validated first,
/// 400 with a one-line reason when bad).
/// </summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder endpoints)
    {
        foreach (var asset in StatusAssets.All)
        {
            endpoints.MapMethods(asset.Route, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Bytes(asset.Content, asset.ContentType);
            });
        }
        endpoints.MapGet("/api/status", async (StatusService status, CancellationToken cancellationToken) =>
            TypedResults.Json(await status.ReadReportAsync(cancellationToken), StatusJson.Options));
        endpoints.MapGet("/api/torrents", GetTorrentsAsync);
        return endpoints;
    }

    private static async Task<Results<JsonHttpResult<TorrentTable>, BadRequest<string>>> GetTorrentsAsync(
        HttpRequest request, StatusService status, CancellationToken cancellationToken)
    {
        var query = request.Query;
        string? One(string name) => query.TryGetValue(name, out var values) ? values.Count == 1 ? values[0] : "\0" : null;
        if (!TorrentQuery.TryParse(One("sort"), One("order"), One("q"), One("page"), One("size"), out var parsed,
                out var error))
        {
            return TypedResults.BadRequest(error);
        }
        return TypedResults.Json(await status.ReadTorrentsAsync(parsed, cancellationToken), StatusJson.Options);
    }
}
