using System.Net;
using System.Text.Json;

namespace NarSeed.Tests.Status;

/// <summary>/api/status and /api/torrents on a real node: figures, search, sort, paging and 400s for bad input.</summary>
public sealed class StatusApiTests
{
    [Fact]
    public async Task Status_reports_the_catalog_and_the_engine_and_the_table_searches_sorts_and_pages()
    {
        await using var node = await StatusNode.StartAsync(
            new KeyValuePair<string, string?>("Gc:DiskQuota", "1000000"),
            new KeyValuePair<string, string?>("BitTorrent:Trackers:0", "http://127.0.0.1:9/announce"));
        var small = await node.AddNarAsync(1, "zlib-1.3", 20_000);
        var large = await node.AddNarAsync(2, "openssl-3.0.13", 90_000);
        var medium = await node.AddNarAsync(3, "hello-2.12.1", 50_000);
        node.Scrapes.RecordScrape(large.Info.InfoHashV2.Span, 4);
        await node.Catalog.AddRootAsync(large.StorePath, NarSeed.Catalog.RootSource.CommandLine, CancellationToken.None);

        using var status = await GetJsonAsync(node, "api/status");
        var root = status.RootElement;
        root.GetProperty("narsSeeded").GetInt64().Should().Be(3);
        root.GetProperty("narsReady").GetInt64().Should().Be(3);
        root.GetProperty("bytesHeld").GetInt64().Should().Be(160_000);
        root.GetProperty("swarmRunning").GetBoolean().Should().BeTrue();
        root.GetProperty("bitTorrentPort").GetInt32().Should().Be(node.Engine.Port);
        root.GetProperty("peersConnected").GetInt32().Should().Be(0);
        root.GetProperty("gc").GetProperty("roots").GetInt64().Should().Be(1);
        root.GetProperty("gc").GetProperty("diskQuotaBytes").GetInt64().Should().Be(1_000_000);
        root.GetProperty("gc").GetProperty("quotaUsed").GetDouble().Should().BeApproximately(0.16, 1e-9);
        root.GetProperty("gc").GetProperty("passes").GetInt32().Should().Be(1, "the first pass runs at start");
        var lastPass = root.GetProperty("gc").GetProperty("lastPass");
        lastPass.GetProperty("finishedAt").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        lastPass.GetProperty("retired").GetInt32().Should().Be(0, "the catalog was empty at start");
        root.GetProperty("discovery").GetProperty("trackers")[0].GetProperty("url").GetString()
            .Should().Be("http://127.0.0.1:9/announce");
        root.GetProperty("mirror").GetProperty("running").GetBoolean().Should().BeFalse();

        using var bySize = await GetJsonAsync(node, "api/torrents?sort=size");
        Paths(bySize).Should().Equal(large.StorePath, medium.StorePath, small.StorePath);
        using var bySizeAsc = await GetJsonAsync(node, "api/torrents?sort=size&order=asc");
        Paths(bySizeAsc).Should().Equal(small.StorePath, medium.StorePath, large.StorePath);
        using var byPath = await GetJsonAsync(node, "api/torrents");
        Paths(byPath).Should().Equal(new[] { small, large, medium }.Select(n => n.StorePath).Order(StringComparer.Ordinal));
        var rows = byPath.RootElement.GetProperty("rows").EnumerateArray().ToList();
        rows.Single(r => r.GetProperty("storePath").GetString() == large.StorePath).GetProperty("atRisk").GetBoolean()
            .Should().BeFalse("a scrape counted other seeders");
        rows.Where(r => r.GetProperty("storePath").GetString() != large.StorePath)
            .Should().OnlyContain(r => r.GetProperty("atRisk").GetBoolean());

        using var search = await GetJsonAsync(node, "api/torrents?q=SSL-3");
        Paths(search).Should().Equal(large.StorePath);
        search.RootElement.GetProperty("totalRows").GetInt64().Should().Be(1);
        using var wildcard = await GetJsonAsync(node, "api/torrents?q=%25");
        Paths(wildcard).Should().BeEmpty("% is searched for literally, not as a LIKE wildcard");

        using var page2 = await GetJsonAsync(node, "api/torrents?size=2&page=2");
        Paths(page2).Should().HaveCount(1);
        page2.RootElement.GetProperty("totalPages").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData("sort=nar_size")]
    [InlineData("sort=path;DROP TABLE torrents")]
    [InlineData("order=up")]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("page=100001")]
    [InlineData("size=0")]
    [InlineData("size=201")]
    [InlineData("page=1&page=2")]
    [InlineData("q=%0a")]
    public async Task Bad_parameters_get_400_with_a_reason_and_no_paths(string query)
    {
        await using var node = await StatusNode.StartAsync();
        var response = await node.Http.GetAsync($"api/torrents?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotBeEmpty().And.NotContain(node.Directory).And.NotContain("/tmp");
    }

    [Fact]
    public async Task A_search_longer_than_a_store_path_is_refused()
    {
        await using var node = await StatusNode.StartAsync();
        (await node.Http.GetAsync($"api/torrents?q={new string('a', 212)}")).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
        (await node.Http.GetAsync($"api/torrents?q={new string('a', 211)}")).StatusCode
            .Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_page_and_its_assets_are_served_from_the_assembly()
    {
        await using var node = await StatusNode.StartAsync();
        var page = await node.Http.GetAsync("");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("/status/status.js").And.Contain("/status/status.css");
        // No external asset: every src/href is a path on the node itself.
        System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Value).Should().OnlyContain(u => u.StartsWith('/'));
        (await node.Http.GetAsync("status/status.js")).Content.Headers.ContentType!.MediaType
            .Should().Be("text/javascript");
        (await node.Http.GetAsync("status/status.css")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<JsonDocument> GetJsonAsync(StatusNode node, string url)
    {
        var response = await node.Http.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Paths(JsonDocument table) =>
        table.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("storePath").GetString()!).ToList();
}
