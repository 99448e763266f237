using System.Net.Http.Json;
using System.Text.Json;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;
using Xunit.Abstractions;

namespace NarSeed.BitTorrent.Tests.Interop.Seeding;

/// <summary>
/// qbittorrent-nox 4.5 (headless, temporary profile, driven through its Web API on 127.0.0.1) downloads a v2 torrent
/// from NarSeed's seeder and its own recheck passes.
/// </summary>
[Collection("interop")]
public class QBittorrentDownloadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task QBittorrent_downloads_a_v2_torrent_and_its_recheck_passes()
    {
        var qbittorrent = ExternalTool.Require("qbittorrent-nox");
        await using var bed = await SeedingTestBed.StartAsync();
        var data = bed.WriteData("qbt.bin", 1_200_000, seed: 21);
        var torrent = await TorrentBuilder.CreateAsync(data, new TorrentCreateOptions { PieceLength = 65536 });
        var torrentPath = data + ".torrent";
        await File.WriteAllBytesAsync(torrentPath, torrent.ToTorrentFile());
        bed.Engine.Register(NarSeed.BitTorrent.Engine.SeedTorrent.FromTorrentInfo(torrent, data));

        var profile = bed.Combine("qbt-profile");
        var downloads = Directory.CreateDirectory(bed.Combine("qbt-downloads")).FullName;
        var webPort = FreePort.Tcp();
        WriteConfig(profile, webPort, FreePort.Tcp(), downloads);
        await using var process = RunningProcess.Start(qbittorrent, [$"--profile={profile}", $"--webui-port={webPort}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + Bound;
        try
        {
            await WaitForWebUiAsync(http, deadline);
            using (var form = new MultipartFormDataContent())
            {
                form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(torrentPath)), "torrents", "qbt.bin.torrent");
                form.Add(new StringContent(downloads), "savepath");
                (await http.PostAsync("/api/v2/torrents/add", form)).EnsureSuccessStatusCode();
            }
            var hash = await PollAsync(http, deadline, t => t.GetProperty("hash").GetString()!, _ => true);
            var state = await PollAsync(http, deadline, t => t.GetProperty("state").GetString()!, t =>
            {
                if (t.GetProperty("num_seeds").GetInt32() == 0) AddPeer(http, hash, bed.Peer);
                return t.GetProperty("progress").GetDouble() >= 1.0;
            });
            output.WriteLine($"downloaded, state {state}");
            (await http.PostAsync("/api/v2/torrents/recheck", Form(("hashes", hash)))).EnsureSuccessStatusCode();
            await Task.Delay(500);
            await PollAsync(http, deadline, t => t.GetProperty("state").GetString()!, t =>
                t.GetProperty("state").GetString() is not ("checkingUP" or "checkingDL" or "checkingResumeData" or "moving")
                && t.GetProperty("progress").GetDouble() >= 1.0);
        }
        finally
        {
            output.WriteLine(bed.Log.ToString());
            output.WriteLine(process.StandardOutputSoFar + process.StandardErrorSoFar);
        }
        (await File.ReadAllBytesAsync(Path.Combine(downloads, "qbt.bin"))).Should().Equal(await File.ReadAllBytesAsync(data));
        bed.Engine.BytesUploaded.Should().BeGreaterThanOrEqualTo(1_200_000);
    }

    private static void WriteConfig(string profile, int webPort, int torrentPort, string downloads)
    {
        var config = Directory.CreateDirectory(Path.Combine(profile, "qBittorrent", "config")).FullName;
        File.WriteAllText(Path.Combine(config, "qBittorrent.conf"), $"""
            [LegalNotice]
            Accepted=true

            [BitTorrent]
            Session\DHTEnabled=false
            Session\LSDEnabled=false
            Session\PeXEnabled=false
            Session\Port={torrentPort}
            Session\InterfaceAddress=127.0.0.1
            Session\BTProtocol=TCP
            Session\DefaultSavePath={downloads}
            Session\MultiConnectionsPerIp=true
            Session\AddTorrentPaused=false

            [Preferences]
            Connection\UPnP=false
            General\Locale=en
            WebUI\Address=127.0.0.1
            WebUI\Port={webPort}
            WebUI\LocalHostAuth=false
            WebUI\CSRFProtection=false
            WebUI\HostHeaderValidation=false
            """);
    }

    private static async Task WaitForWebUiAsync(HttpClient http, DateTime deadline)
    {
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/api/v2/app/version")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("qbittorrent-nox's Web API did not come up.");
            await Task.Delay(200);
        }
    }

    /// <summary>Polls the one torrent's info until <paramref name="done"/>; returns <paramref name="select"/> of it.</summary>
    private static async Task<T> PollAsync<T>(HttpClient http, DateTime deadline, Func<JsonElement, T> select, Func<JsonElement, bool> done)
    {
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var list = await http.GetFromJsonAsync<JsonElement>("/api/v2/torrents/info");
            if (list.GetArrayLength() == 1)
            {
                var t = list[0];
                last = t.ToString();
                if (done(t)) return select(t);
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"qBittorrent did not get there in time; last info: {last}");
    }

    private static DateTime _lastDial;

    private static void AddPeer(HttpClient http, string hash, string peer)
    {
        if (DateTime.UtcNow - _lastDial < TimeSpan.FromSeconds(2)) return;
        _lastDial = DateTime.UtcNow;
        http.PostAsync("/api/v2/torrents/addPeers", Form(("hashes", hash), ("peers", peer))).GetAwaiter().GetResult();
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
