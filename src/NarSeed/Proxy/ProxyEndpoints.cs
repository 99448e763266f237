using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NarSeed.Substitutes.StorePaths;
using NarSeed.Web;

namespace NarSeed.Proxy;

/// <summary>
/// The proxy's routes: <c>/nix-cache-info</c>, <c>GET|HEAD /{hash}.narinfo</c> (fan-out; a miss is a fast 404),
/// <c>GET|HEAD /nar/{hash}…</c> (cache, swarm, origin) and <c>/api/proxy/status</c> (totals and recent fetches as JSON). Input shape is
/// checked before any lookup; error bodies carry only the status phrase.
/// </summary>
public static class ProxyEndpoints
{
    /// <summary>Nix prefers lower numbers; below cache.nixos.org's 40 so the proxy is asked first.</summary>
    public const int Priority = 30;

    public const string NarInfoContentType = "text/x-nix-narinfo";

    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder endpoints, ProxyOptions options)
    {
        var cacheInfo = Encoding.UTF8.GetBytes($"StoreDir: {options.StoreDirectory}\nWantMassQuery: 1\nPriority: {Priority}\n");
        endpoints.MapMethods("/nix-cache-info", [HttpMethods.Get, HttpMethods.Head],
            () => TypedResults.Bytes(cacheInfo, CacheInfoEndpoints.ContentType));

        endpoints.MapMethods("/{name}.narinfo", [HttpMethods.Get, HttpMethods.Head],
            async Task<IResult> (string name, UpstreamNarInfos upstreams, ProxyCounters counters, CancellationToken token) =>
            {
                if (!IsHashPart(name)) return NotFound();
                var nar = upstreams.TryGetKnown(name, out var known) ? known
                    : await upstreams.LookupAsync(name, token);
                counters.NarInfo(nar is not null);
                return nar is null ? NotFound() : TypedResults.Bytes(nar.Served, NarInfoContentType);
            });

        endpoints.MapMethods("/nar/{file}", [HttpMethods.Get, HttpMethods.Head],
            async Task (HttpContext context, string file, UpstreamNarInfos upstreams, NarFetcher fetcher, CancellationToken token) =>
            {
                var hashPart = file.Length > StorePath.HashPartLength ? file[..StorePath.HashPartLength] : "";
                // A nar named by the proxy's own narinfo; after a restart the narinfo is fetched again.
                var nar = !IsHashPart(hashPart) ? null
                    : upstreams.TryGetKnown(hashPart, out var known) ? known
                    : await upstreams.LookupAsync(hashPart, token);
                if (nar is null || nar.NarFileName != file)
                {
                    await NotFound().ExecuteAsync(context);
                    return;
                }
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    context.Response.ContentLength = nar.FileSize;
                    return;
                }
                await fetcher.ServeAsync(context, nar, token);
            });

        endpoints.MapGet("/api/proxy/status", (ProxyCounters counters, FetchedNarCache cache, FetchedNarSeeder seeder) =>
            TypedResults.Json(new
            {
                totals = counters.Snapshot(),
                // Per fetch, oldest first; the source as its name.
                recent = counters.Recent().Select(f => new
                {
                    hashPart = f.HashPart, source = f.Source.ToString(), f.BytesSent, f.BytesFromPeers, f.BytesFromWebSeeds,
                    f.BytesFromOrigin, f.BytesFromCache, f.PeersBanned, f.Seconds,
                }),
                cache = new { bytes = cache.Size, nars = cache.Count },
                seeding = new { nars = seeder.Count, port = seeder.Port, bytesUploaded = seeder.BytesUploaded },
            }));
        return endpoints;
    }

    private static bool IsHashPart(string text) => text.Length == StorePath.HashPartLength && Nix32.IsValid(text);

    private static IResult NotFound() =>
        TypedResults.Text("Not Found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
