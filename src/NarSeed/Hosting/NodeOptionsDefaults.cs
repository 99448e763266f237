using Microsoft.Extensions.Options;

namespace NarSeed.Hosting;

/// <summary>
/// Defaults that depend on other settings, applied after binding (list defaults cannot be bound defaults: the binder
/// would add to them). No origin means cache.nixos.org, and then its key is trusted unless keys were given; a
/// relative state directory is made absolute against the working directory.
/// </summary>
public sealed class NodeOptionsDefaults : IPostConfigureOptions<NodeOptions>
{
    public void PostConfigure(string? name, NodeOptions options)
    {
        if (options.Origins.Count == 0 && options.Dialect == StoreDialect.Nix)
        {
            options.Origins.Add(NodeOptions.DefaultOrigin);
            if (options.TrustedKeys.Count == 0)
            {
                options.TrustedKeys.Add(NodeOptions.DefaultOriginKey);
            }
        }
        if (!string.IsNullOrWhiteSpace(options.State))
        {
            options.State = Path.GetFullPath(options.State);
        }
    }
}
