using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace NarSeed.Web;

/// <summary>
/// Anything the node does not serve gets a fast 404 whose body is only the status phrase (no paths, no exception
/// text), without touching the catalog. Nix asks for narinfos it may not get; this is the common answer.
/// </summary>
public static class NotFoundEndpoints
{
    public static IEndpointRouteBuilder MapNotFoundFallback(this IEndpointRouteBuilder endpoints)
    {
        // "{*path}" rather than MapFallback()'s default, whose "nonfile" constraint skips paths with a dot
        // (x.narinfo, nar/….nar.xz): exactly the ones Nix asks for.
        endpoints.MapFallback("{*path}", NotFound);
        return endpoints;
    }

    /// <summary>The one 404 answer, shared by the endpoints that look something up and do not find it.</summary>
    public static ContentHttpResult NotFound() =>
        TypedResults.Text("Not Found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
