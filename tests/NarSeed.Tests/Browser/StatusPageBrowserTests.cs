using System.Text.Json;
using Microsoft.Playwright;
using NarSeed.Tests.Metrics;
using NarSeed.Tests.Status;
using NarSeed.TestSupport;
using Xunit.Abstractions;

namespace NarSeed.Tests.Browser;

/// <summary>
/// The status page in Debian's chromium (Playwright, headless, no browser download) against a running node that seeds
/// real torrents; real libtorrent downloads a nar from the node while the page is open. Also checks /metrics with the
/// real Prometheus parser against /api/status. Screenshots go to bin/…/artifacts/.
/// </summary>
public sealed class StatusPageBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 15_000 };

    [Fact]
    public async Task The_page_shows_the_node_and_an_upload_without_a_reload_and_searches_and_sorts()
    {
        ExternalTool.Require(Chromium);
        using var work = new TempDirectory("narseed-browser-");
        await using var node = await StatusNode.StartAsync(
            new KeyValuePair<string, string?>("Gc:DiskQuota", "10000000"),
            new KeyValuePair<string, string?>("BitTorrent:Trackers:0", "udp://tracker.example:6969/announce"));
        var hello = await node.AddNarAsync(1, "hello-2.12.1", 300_000);
        var openssl = await node.AddNarAsync(2, "openssl-3.0.13", 1_200_000);
        var zlib = await node.AddNarAsync(3, "zlib-1.3.1", 60_000);
        node.Scrapes.RecordScrape(openssl.Info.InfoHashV2.Span, 5);
        await node.Catalog.AddRootAsync(hello.StorePath, NarSeed.Catalog.RootSource.CommandLine, CancellationToken.None);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(work.Combine("profile"), new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
        });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(node.BaseUrl, StringComparison.Ordinal)) external.Add(request.Url);
        };
        await page.GotoAsync(node.BaseUrl);

        await Assertions.Expect(page.Locator("#nars-seeded")).ToHaveTextAsync("3", Soon);
        await Assertions.Expect(page.Locator("#bytes-held")).ToHaveTextAsync("1.49 MiB", Soon);
        await Assertions.Expect(page.Locator("#gc-roots")).ToHaveTextAsync("1", Soon);
        await Assertions.Expect(page.Locator("#gc-last-pass")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex(@"^\d+ (s|min) ago$"), Soon);
        await Assertions.Expect(page.Locator("#bt-port")).ToHaveTextAsync(node.Engine.Port.ToString(), Soon);
        await Assertions.Expect(page.Locator("#torrents tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#torrents tbody tr.at-risk")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"tr[data-path='{openssl.StorePath}']")).Not.ToHaveClassAsync("at-risk");
        await Assertions.Expect(page.Locator("#uploaded")).ToHaveTextAsync("0 B");

        // A marker in the page's JS state: it survives only if the page is never reloaded.
        await page.EvaluateAsync("window.__narseedMarker = 42");
        var downloaded = await LibtorrentClient.DownloadAsync(hello, node.Engine.Port, work.Combine("download"));
        output.WriteLine($"libtorrent downloaded {downloaded} payload bytes");

        var row = page.Locator($"tr[data-path='{hello.StorePath}']");
        await Assertions.Expect(page.Locator("#uploaded")).Not.ToHaveTextAsync("0 B", new() { Timeout = 15_000 });
        await Assertions.Expect(row.Locator("td.uploaded")).Not.ToHaveTextAsync("0 B", new() { Timeout = 15_000 });
        await Assertions.Expect(row.Locator("td.activity")).Not.ToHaveTextAsync("never", new() { Timeout = 15_000 });
        (await page.EvaluateAsync<int>("window.__narseedMarker")).Should().Be(42, "the page must update without a reload");

        // The figures on the page are the node's: the engine's upload total, to the byte, and the table's row.
        using (var status = JsonDocument.Parse(await node.Http.GetStringAsync("api/status")))
        {
            var uploaded = status.RootElement.GetProperty("uploadedBytes").GetInt64();
            uploaded.Should().Be(node.Engine.BytesUploaded).And.BeGreaterThanOrEqualTo(hello.Size);
            await Assertions.Expect(page.Locator("#uploaded")).ToHaveTextAsync(FormatBytes(uploaded), Soon);
        }

        // Search by store path.
        await page.FillAsync("#search", "openssl");
        await Assertions.Expect(page.Locator("#torrents tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#torrents tbody tr td.path")).ToContainTextAsync(openssl.StorePath);
        await page.FillAsync("#search", "no-such-thing");
        await Assertions.Expect(page.Locator("#torrents tbody tr td.empty")).ToHaveTextAsync("no store path matches");
        await page.FillAsync("#search", "");
        await Assertions.Expect(page.Locator("#torrents tbody tr")).ToHaveCountAsync(3);

        // Sort: size (largest first), again (smallest first), uploaded (the downloaded nar first).
        var firstPath = page.Locator("#torrents tbody tr").First;
        await page.ClickAsync("th[data-sort=size]");
        await Assertions.Expect(firstPath).ToHaveAttributeAsync("data-path", openssl.StorePath);
        await Assertions.Expect(page.Locator("th[data-sort=size]")).ToHaveAttributeAsync("aria-sort", "descending");
        await page.ClickAsync("th[data-sort=size]");
        await Assertions.Expect(firstPath).ToHaveAttributeAsync("data-path", zlib.StorePath);
        await page.ClickAsync("th[data-sort=uploaded]");
        await Assertions.Expect(firstPath).ToHaveAttributeAsync("data-path", hello.StorePath);

        // Let the chart take a few more samples, then keep screenshots: desktop and phone width.
        await page.WaitForFunctionAsync("document.getElementById('chart-line').getAttribute('d').length > 0");
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "status-page.png"), FullPage = true });
        var overflowingCards = await page.EvaluateAsync<int>(
            "[...document.querySelectorAll('.card')].filter(c => c.scrollWidth > c.clientWidth).length");
        overflowingCards.Should().Be(0, "no figure may spill out of its card");
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "status-page-phone.png"), FullPage = true });
        var overflow = await page.EvaluateAsync<bool>(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth");
        overflow.Should().BeFalse("the page must fit a phone's width (the table scrolls inside its card)");
        output.WriteLine($"screenshots in {artifacts}");
        external.Should().BeEmpty("the page needs no external asset");

        await MetricsAgreeWithStatusAsync(node);
    }

    private static async Task MetricsAgreeWithStatusAsync(StatusNode node)
    {
        using var status = JsonDocument.Parse(await node.Http.GetStringAsync("api/status"));
        var metricsResponse = await node.Http.GetAsync("metrics");
        metricsResponse.Content.Headers.ContentType!.ToString().Should().StartWith("text/plain; version=0.0.4");
        var metrics = await PrometheusParser.ParseAsync(await metricsResponse.Content.ReadAsStringAsync());
        var s = status.RootElement;

        metrics["narseed_peer_uploaded_bytes"].Type.Should().Be("counter");
        metrics["narseed_peer_uploaded_bytes"].Samples.Single().Name.Should().Be("narseed_peer_uploaded_bytes_total");
        metrics["narseed_peer_uploaded_bytes"].Value.Should().Be(s.GetProperty("uploadedBytes").GetInt64()).And.BePositive();
        metrics["narseed_gc_failed_passes"].Value.Should().Be(s.GetProperty("gc").GetProperty("failedPasses").GetInt32());
        metrics["narseed_gc_passes"].Value.Should().Be(s.GetProperty("gc").GetProperty("passes").GetInt32()).And.BePositive();
        var lastPass = s.GetProperty("gc").GetProperty("lastPass");
        metrics["narseed_gc_last_pass_timestamp_seconds"].Value.Should().BeApproximately(
            lastPass.GetProperty("finishedAt").GetDateTimeOffset().ToUnixTimeMilliseconds() / 1000.0, 0.002);
        metrics["narseed_gc_last_pass_duration_seconds"].Value.Should().BeApproximately(
            lastPass.GetProperty("durationSeconds").GetDouble(), 1e-9);
        metrics["narseed_mirror_failures"].Value.Should().Be(s.GetProperty("mirror").GetProperty("failures").GetInt64());
        metrics["narseed_nars_seeded"].Type.Should().Be("gauge");
        metrics["narseed_nars_seeded"].Value.Should().Be(s.GetProperty("narsSeeded").GetInt64()).And.Be(3);
        metrics["narseed_held_bytes"].Value.Should().Be(s.GetProperty("bytesHeld").GetInt64());
        metrics["narseed_origin_saved_bytes"].Value.Should().Be(s.GetProperty("originBytesSaved").GetInt64());
        metrics["narseed_peers_connected"].Value.Should().Be(s.GetProperty("peersConnected").GetInt32());
        metrics["narseed_gc_roots"].Value.Should().Be(1);
        metrics["narseed_disk_quota_bytes"].Value.Should().Be(10_000_000);
        metrics.Values.Should().OnlyContain(f => f.Help.Length > 0);
    }

    /// <summary>The page's own formatting (status.js bytes()), to compare what it shows with the API's number.</summary>
    private static string FormatBytes(long n)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var i = 0;
        double v = n;
        while (Math.Abs(v) >= 1024 && i < units.Length - 1)
        {
            v /= 1024;
            i++;
        }
        var text = i == 0 ? v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)
            : v.ToString(v < 10 ? "F2" : "F1", System.Globalization.CultureInfo.InvariantCulture);
        return $"{text} {units[i]}";
    }
}
