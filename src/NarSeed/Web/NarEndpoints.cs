using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NarSeed.Catalog;
using NarSeed.Mirror;
using NarSeed.Seeding;

namespace NarSeed.Web;

/// <summary>
/// <c>GET|HEAD /nar/&lt;file&gt;</c>: a seeded nar file at the relative URL its narinfo names, with Range support (so
/// every node is also a BEP 19 web seed). Only committed, ready files are reachable: the name must be one the seeding
/// index holds, never a path built from the request.
/// </summary>
public static class NarEndpoints
{
    public const string ContentType = "application/x-nix-nar";

    public static IEndpointRouteBuilder MapNars(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/nar/{file}", [HttpMethods.Get, HttpMethods.Head], Get);
        return endpoints;
    }

    private static Results<PhysicalFileHttpResult, ContentHttpResult> Get(
        string file, HttpRequest request, SeedingService seeding, NarUsageCounters usage)
    {
        if (!IsFileName(file) || !seeding.TryGetByUrl(NarMirror.NarUrlPrefix + file, out var nar))
        {
            return NotFoundEndpoints.NotFound();
        }
        usage.RecordRequest(nar.NarId);
        if (HttpMethods.IsGet(request.Method) && !request.Headers.ContainsKey("Range"))
        {
            usage.RecordUpload(nar.NarId, nar.Nar.FileSize);
        }
        return TypedResults.PhysicalFile(nar.FilePath, ContentType, enableRangeProcessing: true);
    }

    private static bool IsFileName(string file)
    {
        try
        {
            NarStore.ValidateFileName(file);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
