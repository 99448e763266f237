namespace NarSeed.Catalog;

/// <summary>Who made a root. Configured roots are replaced at every start; command-line roots stay until removed.</summary>
public enum RootSource
{
    /// <summary>Added with <c>narseed roots add</c>.</summary>
    CommandLine = 0,

    /// <summary>From the node's configuration (<c>--root</c>, <c>Roots</c>).</summary>
    Configuration = 1,
}
