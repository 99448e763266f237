using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace NarSeed.Hosting;

/// <summary>
/// The HTTP server both the node and the proxy run: Kestrel's core without the full MVC stack, one listen address
/// (validated earlier by the options validators), no Server header, and routing.
/// </summary>
public static class MinimalKestrel
{
    public static WebApplicationBuilder ListenOn(this WebApplicationBuilder builder, string address)
    {
        HttpEndpoint.TryParse(address, out var endpoint);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint);
        });
        builder.Services.AddRoutingCore();
        return builder;
    }
}
