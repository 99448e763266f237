using System.Text.Json.Nodes;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

/// <summary>Runs the real `narseed` executable built next to the tests, bounded in time.</summary>
internal static class NarseedProcess
{
    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(Path.Combine(AppContext.BaseDirectory, "narseed"), arguments, TimeSpan.FromSeconds(60),
            workingDirectory);

    public static JsonObject Json(ProcessResult result) => JsonNode.Parse(result.StandardOutput)!.AsObject();
}
