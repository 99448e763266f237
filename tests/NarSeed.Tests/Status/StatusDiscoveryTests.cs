using System.Globalization;
using System.Text.Json;
using NarSeed.BitTorrent.Tests.Interop.Discovery;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Status;

/// <summary>
/// The status page's discovery state from the node's live discovery: a real opentracker (Debian's) the node announces
/// to and scrapes in batches, real libtorrent (python3-libtorrent) downloading one nar and seeding it through that
/// tracker, and a dead tracker. /api/status, /api/torrents and /metrics must all say the same.
/// </summary>
public sealed class StatusDiscoveryTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new("narseed-status-disc-");

    public void Dispose() => _dir.Dispose();

    private static readonly (int N, string Name, int Size)[] Nars =
        [(1, "zlib-1.3", 20_000), (2, "openssl-3.0.13", 90_000), (3, "hello-2.12.1", 50_000)];

    [Fact]
    public async Task Tracker_works_scrapes_count_libtorrent_as_a_second_seeder_and_only_its_nar_leaves_the_risk_list()
    {
        // The hashes only depend on the nars (trackers are outside the info dictionary): learn them from a node
        // without a tracker, so opentracker can whitelist them before the real node starts.
        List<string> hashes = [];
        await using (var probe = await StatusNode.StartAsync())
        {
            foreach (var (n, name, size) in Nars) hashes.Add(Convert.ToHexStringLower((await probe.AddNarAsync(n, name, size)).Info.InfoHashV2.Span[..20]));
        }
        await using var tracker = await OpenTracker.StartAsync(hashes);
        await using var node = await StatusNode.StartAsync(
            new KeyValuePair<string, string?>("BitTorrent:Trackers:0", tracker.HttpUrl.ToString()),
            new KeyValuePair<string, string?>("BitTorrent:ScrapeInterval", "00:00:00.5"));
        var nars = new List<StatusNar>();
        foreach (var (n, name, size) in Nars) nars.Add(await node.AddNarAsync(n, name, size));
        nars.Select(n => Convert.ToHexStringLower(n.Info.InfoHashV2.Span[..20])).Should().Equal(hashes);

        // The node announces and the tracker answers: the page says so.
        await PollAsync(node, "api/status", s => TrackerState(s).StartsWith("working", StringComparison.Ordinal),
            "the tracker shows as working");
        // Every nar is scraped with the node as its only seeder: all at risk.
        await PollAsync(node, "api/torrents", t => Rows(t).All(r => Seeders(r) == 1), "scrapes count the node as the only seeder");
        using (var table = await GetJsonAsync(node, "api/torrents"))
        {
            Rows(table).Should().OnlyContain(r => r.GetProperty("atRisk").GetBoolean());
        }

        // libtorrent downloads one nar from the node and keeps seeding it, announcing to the same tracker.
        var shared = nars[1];
        var save = _dir.Combine("lt");
        Directory.CreateDirectory(save);
        await using var lt = RunningProcess.Start(ExternalTool.Require(ExternalTool.DebianPython),
            [System.IO.Path.Combine(AppContext.BaseDirectory, "Status", "lt_seed.py"), shared.TorrentFile, save, "127.0.0.1",
                node.Engine.Port.ToString(CultureInfo.InvariantCulture), "60"]);
        await lt.WaitForOutputLineAsync(l => l.StartsWith("ANNOUNCED", StringComparison.Ordinal), Bound);
        (await File.ReadAllBytesAsync(System.IO.Path.Combine(save, shared.Info.Name))).Should().Equal(await File.ReadAllBytesAsync(shared.DataPath));

        // The next scrape counts two seeders for that nar: it leaves the risk list, the others stay on it.
        await PollAsync(node, "api/torrents", t => Rows(t).Any(r => Path(r) == shared.StorePath && Seeders(r) == 2),
            "a scrape counts libtorrent as a second seeder");
        using (var table = await GetJsonAsync(node, "api/torrents"))
        {
            foreach (var row in Rows(table))
            {
                var isShared = Path(row) == shared.StorePath;
                Seeders(row).Should().Be(isShared ? 2 : 1);
                row.GetProperty("atRisk").GetBoolean().Should().Be(!isShared, "{0} at risk only without another seeder", Path(row));
            }
        }
        using var status = await GetJsonAsync(node, "api/status");
        status.RootElement.GetProperty("narsAtRisk").GetInt64().Should().Be(2);
        var lsd = node.App.Services.GetRequiredService<NarSeed.Seeding.SeedingService>().Discovery!.Lsd!;
        lsd.Groups.Should().NotBeEmpty("the node's LSD joins BEP 14's groups");
        status.RootElement.GetProperty("discovery").GetProperty("localDiscovery").GetString().Should()
            .StartWith($"on ({lsd.Groups.Count} group");
        var metrics = await node.Http.GetStringAsync("metrics");
        MetricValue(metrics, "narseed_nars_at_risk").Should().Be(2);
        MetricValue(metrics, "narseed_tracker_announce_failures_total").Should().Be(0);
    }

    [Fact]
    public async Task A_dead_tracker_shows_as_failing_and_counts_announce_failures()
    {
        var dead = $"http://127.0.0.1:{FreePort.Tcp()}/announce";
        await using var node = await StatusNode.StartAsync(new KeyValuePair<string, string?>("BitTorrent:Trackers:0", dead),
            new KeyValuePair<string, string?>("BitTorrent:Lsd", "false"));
        await node.AddNarAsync(1, "zlib-1.3", 20_000);
        await PollAsync(node, "api/status", s => TrackerState(s).StartsWith("failing", StringComparison.Ordinal),
            "an unreachable tracker shows as failing");
        using var status = await GetJsonAsync(node, "api/status");
        var failures = status.RootElement.GetProperty("discovery").GetProperty("trackerAnnounceFailures").GetInt64();
        failures.Should().BeGreaterThan(0);
        status.RootElement.GetProperty("discovery").GetProperty("trackers")[0].GetProperty("url").GetString().Should().Be(dead);
        status.RootElement.GetProperty("discovery").GetProperty("localDiscovery").GetString().Should().Be("off",
            "LSD is turned off for this node");
        status.RootElement.GetProperty("narsAtRisk").GetInt64().Should().Be(1);
        var metrics = await node.Http.GetStringAsync("metrics");
        MetricValue(metrics, "narseed_tracker_announce_failures_total").Should().BeGreaterThanOrEqualTo(failures);
        MetricValue(metrics, "narseed_nars_at_risk").Should().Be(1);
    }

    private static string TrackerState(JsonDocument status) =>
        status.RootElement.GetProperty("discovery").GetProperty("trackers")[0].GetProperty("state").GetString()!;

    private static List<JsonElement> Rows(JsonDocument table) => table.RootElement.GetProperty("rows").EnumerateArray().ToList();

    private static string Path(JsonElement row) => row.GetProperty("storePath").GetString()!;

    private static int? Seeders(JsonElement row) =>
        row.GetProperty("knownSeeders").ValueKind == JsonValueKind.Number ? row.GetProperty("knownSeeders").GetInt32() : null;

    private static double MetricValue(string exposition, string name)
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        line.Should().NotBeNull("/metrics has {0}:\n{1}", name, exposition);
        return double.Parse(line![(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task PollAsync(StatusNode node, string url, Func<JsonDocument, bool> until, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            using var doc = await GetJsonAsync(node, url);
            if (until(doc)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} within {Bound}; last {url}: {doc.RootElement}");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(StatusNode node, string url) =>
        JsonDocument.Parse(await node.Http.GetStringAsync(url));
}
