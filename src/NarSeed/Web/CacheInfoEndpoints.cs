using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NarSeed.Hosting;

namespace NarSeed.Web;

/// <summary>
/// <c>GET|HEAD /nix-cache-info</c>: the store directory, WantMassQuery and Priority (Nix: BinaryCacheStore reads these
/// three). The text is made once at start-up; the substitute format library takes it over later.
/// </summary>
public static class CacheInfoEndpoints
{
    public const string ContentType = "text/x-nix-cache-info";

    public static IEndpointRouteBuilder MapCacheInfo(this IEndpointRouteBuilder endpoints, NodeOptions options)
    {
        var body = Encoding.UTF8.GetBytes(
            $"StoreDir: {options.StoreDirectory}\nWantMassQuery: 1\nPriority: {options.Priority}\n");
        endpoints.MapMethods("/nix-cache-info", [HttpMethods.Get, HttpMethods.Head],
            () => TypedResults.Bytes(body, ContentType));
        return endpoints;
    }
}
