using System.Text.Json;
using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Engine;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Seeding;

/// <summary>
/// One python process running real libtorrent (lt_seed_interop.py): it makes the torrents, waits while the test
/// registers them with a NarSeed seeder, then runs its download jobs and reports libtorrent's own recheck verdict.
/// </summary>
internal sealed class LibtorrentScenario : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private LibtorrentScenario(RunningProcess process, IReadOnlyList<MadeTorrent> torrents)
    {
        _process = process;
        Torrents = torrents;
    }

    public IReadOnlyList<MadeTorrent> Torrents { get; }

    public string Output => _process.StandardOutputSoFar + _process.StandardErrorSoFar;

    public static async Task<LibtorrentScenario> StartAsync(string directory, JsonObject spec, int torrentCount)
    {
        var specPath = Path.Combine(directory, "scenario.json");
        await File.WriteAllTextAsync(specPath, spec.ToJsonString());
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "Seeding", "lt_seed_interop.py");
        var process = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython), [script, specPath],
            directory, redirectInput: true);
        var torrents = new List<MadeTorrent>();
        for (var i = 0; i < torrentCount; i++)
        {
            var index = i;
            var line = await process.WaitForOutputLineAsync(l => l.StartsWith($"MADE {{\"index\": {index},", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60));
            torrents.Add(JsonSerializer.Deserialize<MadeTorrent>(line["MADE ".Length..], JsonOptions)!);
        }
        return new LibtorrentScenario(process, torrents);
    }

    /// <summary>Lets the download jobs start and waits for every RESULT; returns them with the process's exit code.</summary>
    public async Task<(int ExitCode, IReadOnlyList<JobResult> Results)> RunJobsAsync(TimeSpan timeout)
    {
        await _process.Process.StandardInput.WriteLineAsync("GO");
        await _process.Process.StandardInput.FlushAsync();
        var result = await _process.WaitForExitAsync(timeout);
        var results = result.StandardOutput.Split('\n')
            .Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            .Select(l => JsonSerializer.Deserialize<JobResult>(l["RESULT ".Length..], JsonOptions)!)
            .ToList();
        return (result.ExitCode, results);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}

/// <summary>What libtorrent's create_torrent produced for one data file.</summary>
internal sealed record MadeTorrent(int Index, string V2, string? V1, string Root, int Piece_Length, string Name, long Length,
    string Info_Path, string Layer_Path)
{
    /// <summary>A registration for the seeder, with the info dict and piece layer held in memory.</summary>
    public SeedTorrent ToSeedTorrent(string dataPath)
    {
        var info = File.ReadAllBytes(Info_Path);
        var layer = File.ReadAllBytes(Layer_Path);
        return new SeedTorrent(Convert.FromHexString(V2), V1 is null ? null : Convert.FromHexString(V1), Length, Piece_Length,
            Convert.FromHexString(Root), info.Length, dataPath, new InMemorySeedMetadata(info, layer));
    }
}

internal sealed record JobResult(int Job, bool Ok, double? Seconds, int Hash_Failures, string? Error, long Downloaded);
