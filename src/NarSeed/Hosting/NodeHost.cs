using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.Gc;
using NarSeed.Status;
using NarSeed.Web;
using NarSeed.Web.Status;
using Serilog;
using Serilog.Events;

namespace NarSeed.Hosting;

/// <summary>
/// The node's one composition root: services, then Kestrel on the <c>--http</c> address, then the endpoints.
/// Configuration comes only from <see cref="NodeConfiguration"/>'s layers (no ASPNETCORE_/DOTNET_ surprises).
/// </summary>
public static class NodeHost
{
    /// <param name="configureServices">Extra registrations after the node's own (tests add components here).</param>
    public static WebApplication Build(IConfiguration configuration, NodeOptions options, SystemdNotifier notifier,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "narseed",
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(CreateLogger(), dispose: true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);

        builder.Services.AddNodeOptions(configuration);
        builder.Services.AddNodeState();
        builder.Services.AddSingleton(notifier);
        // Order matters for lifecycle callbacks: the catalog is repaired before anything else starts.
        builder.Services.AddHostedService<CatalogStartupService>();
        builder.Services.AddNodeSeedingAndMirror();
        builder.Services.AddHostedService<GcService>();
        builder.Services.AddHostedService<SystemdNotifyService>();
        builder.Services.AddNodeStatus();
        configureServices?.Invoke(builder.Services);

        builder.ListenOn(options.Http);

        var app = builder.Build();
        app.UseRouting();
        app.MapCacheInfo(options);
        app.MapNarInfos();
        app.MapNars();
        app.MapTorrentFiles();
        app.MapStatus().MapMetrics();
        app.MapNotFoundFallback();

        app.Lifetime.ApplicationStarted.Register(() => LogEndpoints(app, options));
        return app;
    }

    private static Serilog.ILogger CreateLogger() =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();

    private static void LogEndpoints(WebApplication app, NodeOptions options)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault() ?? $"http://{options.Http}";
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NarSeed.Node");
        Log.Listening(logger, url, string.Join(", ", options.Origins), options.BitTorrent.Port);
    }
}
