using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NarSeed.Metrics;
using NarSeed.Status;

namespace NarSeed.Web.Status;

/// <summary><c>GET /metrics</c>: the node's meter in the Prometheus text format, read from a fresh status report.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", async (StatusService status, NodeMetrics metrics,
            PrometheusTextExporter exporter, CancellationToken cancellationToken) =>
        {
            metrics.Update(await status.ReadReportAsync(cancellationToken));
            return TypedResults.Text(exporter.Collect(), PrometheusTextExporter.ContentType);
        });
        return endpoints;
    }
}
