using System.Text.Json;
using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Tests.Interop.Seeding;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Discovery;

/// <summary>One lt_discovery.py process: makes torrents with libtorrent, waits for GO, then runs its sessions.</summary>
internal sealed class DiscoveryScenario : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private DiscoveryScenario(RunningProcess process, IReadOnlyList<MadeTorrent> torrents)
    {
        _process = process;
        Torrents = torrents;
    }

    public IReadOnlyList<MadeTorrent> Torrents { get; }

    public string Output => _process.StandardOutputSoFar + _process.StandardErrorSoFar;

    public static async Task<DiscoveryScenario> StartAsync(string directory, JsonArray make)
    {
        var specPath = Path.Combine(directory, "discovery.json");
        await File.WriteAllTextAsync(specPath, new JsonObject { ["make"] = make }.ToJsonString());
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "Discovery", "lt_discovery.py");
        var process = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython), [script, specPath], directory,
            redirectInput: true);
        var torrents = new List<MadeTorrent>();
        for (var i = 0; i < make.Count; i++)
        {
            var index = i;
            var line = await process.WaitForOutputLineAsync(l => l.StartsWith($"MADE {{\"index\": {index},", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60));
            torrents.Add(JsonSerializer.Deserialize<MadeTorrent>(line["MADE ".Length..], JsonOptions)!);
        }
        return new DiscoveryScenario(process, torrents);
    }

    /// <summary>Sends the sessions (they replace the spec's empty list) and GO.</summary>
    public async Task GoAsync(string directory, JsonArray sessions)
    {
        var specPath = Path.Combine(directory, "discovery.json");
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(specPath))!.AsObject();
        spec["sessions"] = sessions;
        await File.WriteAllTextAsync(specPath, spec.ToJsonString());
        await _process.Process.StandardInput.WriteLineAsync("GO");
        await _process.Process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for a seed session's SEEDING line (after its first tracker reply); returns its listen port.</summary>
    public async Task<int> WaitSeedingAsync(int session, TimeSpan timeout)
    {
        var line = await _process.WaitForOutputLineAsync(
            l => l.StartsWith($"SEEDING {{\"session\": {session},", StringComparison.Ordinal), timeout);
        return JsonNode.Parse(line["SEEDING ".Length..])!["port"]!.GetValue<int>();
    }

    /// <summary>Waits for a leecher session's CONNECTED line (its first peer is connected).</summary>
    public Task WaitConnectedAsync(int session, TimeSpan timeout) => _process.WaitForOutputLineAsync(
        l => l.StartsWith($"CONNECTED {{\"session\": {session},", StringComparison.Ordinal), timeout);

    /// <summary>Waits for a session's LISTENING line (printed when it starts); returns its listen port.</summary>
    public async Task<int> WaitListeningAsync(int session, TimeSpan timeout)
    {
        var line = await _process.WaitForOutputLineAsync(
            l => l.StartsWith($"LISTENING {{\"session\": {session},", StringComparison.Ordinal), timeout);
        return JsonNode.Parse(line["LISTENING ".Length..])!["port"]!.GetValue<int>();
    }

    public async Task<SessionResult> WaitResultAsync(int session, TimeSpan timeout)
    {
        var line = await _process.WaitForOutputLineAsync(
            l => l.StartsWith($"RESULT {{\"session\": {session},", StringComparison.Ordinal), timeout);
        return JsonSerializer.Deserialize<SessionResult>(line["RESULT ".Length..], JsonOptions)!;
    }

    public void CloseInput() => _process.Process.StandardInput.Close();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}

/// <summary>A leecher session's verdict: libtorrent's recheck, its port, its peers' source bits and PEX-learnt ports.</summary>
internal sealed record SessionResult(int Session, bool Ok, string? Error, int Port, int[] Sources, int[] Pex_Ports);
