namespace NarSeed.Bench;

/// <summary>
/// One benchmark: a whole-process comparison with a reference implementation in the same run. Each lives in its own
/// file and is found by reflection, so adding one touches nothing else.
/// </summary>
public interface IBenchmark
{
    /// <summary>The name given on the command line, e.g. <c>torrent-create</c>.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Runs the benchmark and prints its figures and ratios; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
