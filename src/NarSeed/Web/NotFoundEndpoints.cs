using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        endpoints.MapFallback("{*path}", () =>
            TypedResults.Text("Not Found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        return endpoints;
    }
}
