using System.Net;
using NarSeed.BitTorrent.Engine.Download;
using NarSeed.BitTorrent.Tests.Download;
using NarSeed.BitTorrent.WebSeeds;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.WebSeeds;

/// <summary>
/// A misbehaving web seed next to a good source (nginx, or our own seeder): the file still completes, equal to the
/// source, and the bad seed's bytes never reach the final file.
/// </summary>
public sealed class BadWebSeedTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static DownloadOptions Options(DownloadTestBed bed, IReadOnlyList<string> webSeeds, params IPEndPoint[] peers) => new()
    {
        OutputDirectory = bed.Combine("out"),
        WebSeeds = webSeeds,
        Peers = peers,
        WebSeedDelay = TimeSpan.Zero,
        StallTimeout = TimeSpan.FromSeconds(50),
        WebSeed = new WebSeedOptions
        {
            MaxRequestBytes = 128 * 1024, StallTimeout = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxConsecutiveFailures = 3,
        },
    };

    [Theory]
    [InlineData(BadRangeMode.WrongBytes)]
    [InlineData(BadRangeMode.ServerError)]
    [InlineData(BadRangeMode.Truncated)]
    [InlineData(BadRangeMode.Stall)]
    [InlineData(BadRangeMode.RedirectToFile)]
    [InlineData(BadRangeMode.WrongRange)]
    public async Task A_bad_web_seed_is_survived_with_nginx_as_the_good_source(BadRangeMode mode)
    {
        await using var bed = await DownloadTestBed.CreateAsync(2 * 1024 * 1024 + 17, pieceLength: 32 * 1024);
        await using var bad = new BadRangeServer(bed.DataPath, mode);
        await using var nginx = await NginxServer.StartAsync(bed.Combine("seed"), limitRate: "512k");
        var log = new NarSeed.BitTorrent.Tests.Engine.TestLogger();
        await using var download = new TorrentDownload(bed.Torrent, Options(bed, [bad.Url, nginx.BaseUrl]), log);
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        bad.Requests.Should().BePositive("the bad seed was tried");
        result.BytesFromWebSeeds.Should().Be(bed.Torrent.Length);
        if (mode is BadRangeMode.WrongBytes or BadRangeMode.RedirectToFile or BadRangeMode.WrongRange)
        {
            result.WebSeedsDropped.Should().Be(1, log.ToString());
        }
    }

    [Fact]
    public async Task A_web_seed_alone_serving_wrong_bytes_is_dropped_and_our_seeder_completes_the_file()
    {
        await using var bed = await DownloadTestBed.CreateAsync(1024 * 1024, pieceLength: 16 * 1024);
        await using var bad = new BadRangeServer(bed.DataPath, BadRangeMode.WrongBytes);
        // The seeder is capped so the bad seed's first (wrong) answer surely arrives before the file is complete.
        var peer = await bed.StartSeederAsync(uploadRateLimit: 1024 * 1024);
        await using var download = new TorrentDownload(bed.Torrent, Options(bed, [bad.Url], peer));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesFromWebSeeds.Should().Be(0);
        result.WebSeedsDropped.Should().Be(1);
    }

    [Theory]
    [InlineData(BadRangeMode.Good)]
    [InlineData(BadRangeMode.WholeFile200)]
    [InlineData(BadRangeMode.RedirectOnce)]
    public async Task Acceptable_answers_make_a_working_web_seed(BadRangeMode mode)
    {
        await using var bed = await DownloadTestBed.CreateAsync(1024 * 1024 + 3, pieceLength: 16 * 1024);
        await using var good = new BadRangeServer(bed.DataPath, mode);
        await using var download = new TorrentDownload(bed.Torrent, Options(bed, [good.Url]));
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.WebSeedsDropped.Should().Be(0);
    }

    [Fact]
    public async Task The_web_seed_takes_over_when_the_only_peer_delivers_nothing_within_the_delay()
    {
        await using var bed = await DownloadTestBed.CreateAsync(1024 * 1024, pieceLength: 16 * 1024);
        // A "peer" that accepts the connection and never says a word.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var good = new BadRangeServer(bed.DataPath, BadRangeMode.Good);
        var options = Options(bed, [good.Url], (IPEndPoint)silent.LocalEndpoint);
        await using var download = new TorrentDownload(bed.Torrent, new DownloadOptions
        {
            OutputDirectory = options.OutputDirectory, Peers = options.Peers, WebSeeds = options.WebSeeds,
            WebSeedDelay = TimeSpan.FromSeconds(1), WebSeed = options.WebSeed,
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await download.RunAsync().WaitAsync(Bound);
        bed.AssertSameAsSource(result.Path);
        result.BytesFromWebSeeds.Should().Be(bed.Torrent.Length);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9), "the web seed waited for the peer first");
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.0.5", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Private_addresses_are_recognised_for_the_redirect_rule(string address, bool isPrivate) =>
        AddressPolicy.IsPrivate(IPAddress.Parse(address)).Should().Be(isPrivate);
}
