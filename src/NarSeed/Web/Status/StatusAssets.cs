using System.Reflection;

namespace NarSeed.Web.Status;

/// <summary>The page's HTML, CSS and JS, embedded resources of the assembly (the page works offline).</summary>
internal sealed record StatusAssets(string Route, string ContentType, byte[] Content)
{
    public static IReadOnlyList<StatusAssets> All { get; } =
    [
        Load("/", "text/html; charset=utf-8", "index.html"),
        Load("/status/status.css", "text/css; charset=utf-8", "status.css"),
        Load("/status/status.js", "text/javascript; charset=utf-8", "status.js"),
    ];

    private static StatusAssets Load(string route, string contentType, string name)
    {
        var resource = $"NarSeed.Web.Status.Assets.{name}";
        using var stream = typeof(StatusAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return new StatusAssets(route, contentType, memory.ToArray());
    }
}
