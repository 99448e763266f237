using System.Text.Json.Nodes;
using NarSeed.BitTorrent.Bencoding;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Interop.Creator;

/// <summary>
/// Writes the acceptance files once (random content), makes each torrent with NarSeed and with libtorrent (one
/// python process for all of them), and has libtorrent load and check every torrent NarSeed wrote (one more).
/// </summary>
public sealed class CreatorComparisonFixture : IAsyncLifetime
{
    /// <summary>The sizes of issue 2's acceptance list.</summary>
    public static readonly long[] Sizes =
    [
        1, 16_383, 16_384, 16_385, 1_048_576, 1_048_577,
        2_684_355, 2_684_356, 10_737_418, 10_737_419, 42_949_673, 42_949_674,
        100L * 1024 * 1024,
    ];

    private readonly TempDirectory _directory = new("narseed-creator-");

    public List<Case> Cases { get; } = [];

    public JsonArray LibtorrentLoads { get; private set; } = [];

    public string DataDirectory => _directory.Path;

    public sealed record Case(long Size, bool Hybrid, string Name, string[] WebSeeds, string[] Trackers, TorrentInfo Ours,
        byte[] OursFile, string OursPath)
    {
        public JsonNode Libtorrent { get; set; } = null!;
    }

    public async Task InitializeAsync()
    {
        var random = new Random(2);
        var jobs = new List<object>();
        foreach (var size in Sizes)
        {
            var name = $"nar-{size}.nar";
            var data = new byte[size];
            random.NextBytes(data);
            await File.WriteAllBytesAsync(_directory.Combine(name), data);
            foreach (var hybrid in new[] { false, true })
            {
                // Vary what lives outside info: none, one web seed (a string), two of each (lists, tiers).
                string[] seeds = (size % 3) switch { 0 => [], 1 => ["https://cache.example/nar/" + name], _ => ["https://a.example/" + name, "https://b.example/" + name] };
                string[] trackers = (size % 3) switch { 0 => [], 1 => ["udp://127.0.0.1:6969/announce"], _ => ["http://t1.example/announce", "udp://t2.example:1337/announce"] };
                var ours = await TorrentBuilder.CreateAsync(_directory.Combine(name),
                    new TorrentCreateOptions { Hybrid = hybrid, WebSeeds = seeds, Trackers = trackers });
                var bytes = ours.ToTorrentFile();
                var path = _directory.Combine($"{name}.{(hybrid ? "hybrid" : "v2")}.torrent");
                await File.WriteAllBytesAsync(path, bytes);
                Cases.Add(new Case(size, hybrid, name, seeds, trackers, ours, bytes, path));
                jobs.Add(new { dir = _directory.Path, name, size, hybrid, piece_length = 0, trackers, web_seeds = seeds });
            }
        }
        var created = await LibtorrentCreator.RunAsync(new { mode = "create", jobs }, TimeSpan.FromMinutes(3));
        for (var i = 0; i < Cases.Count; i++) Cases[i].Libtorrent = created[i]!;

        LibtorrentLoads = await LibtorrentCreator.RunAsync(
            new { mode = "load", torrents = Cases.Select(c => c.OursPath).ToArray(), data_dir = _directory.Path },
            TimeSpan.FromMinutes(2));
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The bencoded value under <paramref name="key"/> of a .torrent's top level, exactly as written.</summary>
    public static byte[] TopLevelValue(byte[] torrent, string key) =>
        ((BencodeDictionary)BencodeValue.Parse(torrent)).Get<BencodeValue>(key)!.Encoded.ToArray();
}
