using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NarSeed.Hosting;
using NarSeed.Web;
using Serilog;
using Serilog.Events;

namespace NarSeed.Proxy;

/// <summary>
/// The proxy's composition root: options from the <c>Proxy</c> section of the node's configuration layers, the
/// fan-out, fetcher, cache and seeder, Kestrel on <c>--listen</c>, then the routes.
/// </summary>
public static class ProxyHost
{
    public static WebApplication Build(IConfiguration configuration, ProxyOptions options)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "narseed",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("NarSeed.BitTorrent", LogEventLevel.Warning)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger(), dispose: true);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddProxyOptions(configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProxyCounters>();
        builder.Services.AddSingleton<FetchedNarCache>();
        builder.Services.AddSingleton<FetchedNarSeeder>();
        builder.Services.AddSingleton<UpstreamNarInfos>();
        builder.Services.AddSingleton<ProxyDiscovery>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ProxyDiscovery>());
        builder.Services.AddSingleton<NarFetcher>();

        builder.ListenOn(options.Listen);

        var app = builder.Build();
        app.UseRouting();
        app.MapProxy(options);
        app.MapNotFoundFallback();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            ProxyLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("NarSeed.Proxy"),
                addresses?.FirstOrDefault() ?? $"http://{options.Listen}", string.Join(", ", options.Upstreams),
                options.CacheSize, options.State);
        });
        return app;
    }

    /// <summary>Binds <see cref="ProxyOptions"/> from the <c>Proxy</c> section (unknown keys are errors), validated at start.</summary>
    public static IServiceCollection AddProxyOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Bind(configuration.GetSection(ProxyOptions.Section), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        return services;
    }

    /// <summary>Binds and validates outside any host; every failure becomes one message naming the settings.</summary>
    public static ProxyOptions LoadOptions(IConfiguration configuration)
    {
        using var provider = new ServiceCollection().AddProxyOptions(configuration).BuildServiceProvider();
        try
        {
            return provider.GetRequiredService<IOptions<ProxyOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new NodeConfigurationException(string.Join(Environment.NewLine, e.Failures), e);
        }
        catch (InvalidOperationException e)
        {
            throw new NodeConfigurationException(e.Message, e);
        }
    }
}
