using System.Net;
using System.Text;
using NarSeed.BitTorrent.Trackers;

namespace NarSeed.BitTorrent.Tests.Trackers;

public class HttpTrackerResponseTests
{
    [Fact]
    public void Reads_the_BEP_7_example_with_peers_and_peers6()
    {
        // BEP 7's example reply: d8:intervali1800e5:peers6:…6:peers618:…e
        byte[] body = [.. "d8:intervali1800e5:peers6:"u8, 10, 0, 0, 1, 0x1a, 0xe1, .. "6:peers618:"u8,
            0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1a, 0xe2, .. "e"u8];
        var response = HttpTrackerResponse.ParseAnnounce(body, TrackerLimits.Default);
        response.Interval.Should().Be(TimeSpan.FromSeconds(1800));
        response.Peers.Should().Equal(IPEndPoint.Parse("10.0.0.1:6881"), IPEndPoint.Parse("[2001:db8::1]:6882"));
    }

    [Fact]
    public void Reads_counts_min_interval_tracker_id_warning_and_the_dictionary_peer_model()
    {
        var body = "d8:completei3e10:incompletei4e8:intervali900e12:min intervali60e5:peersld2:ip8:10.0.0.17:peer id20:" +
                   "ABCDEFGHIJKLMNOPQRST4:porti6881eed2:ip11:example.com4:porti1eee10:tracker id3:xyz15:warning message4:slowe";
        var response = HttpTrackerResponse.ParseAnnounce(Encoding.ASCII.GetBytes(body), TrackerLimits.Default);
        response.Seeders.Should().Be(3);
        response.Leechers.Should().Be(4);
        response.MinInterval.Should().Be(TimeSpan.FromSeconds(60));
        response.TrackerId.Should().Be("xyz");
        response.WarningMessage.Should().Be("slow");
        response.Peers.Should().Equal([IPEndPoint.Parse("10.0.0.1:6881")], "host names are not resolved");
    }

    [Fact]
    public void Reads_a_BEP_48_scrape()
    {
        byte[] body = [.. "d5:filesd20:"u8, .. new byte[20], .. "d8:completei5e10:downloadedi50e10:incompletei10eeee"u8];
        var files = HttpTrackerResponse.ParseScrape(body, TrackerLimits.Default);
        files[new string('0', 40)].Should().Be(new ScrapeEntry(5, 10, 50));
    }

    [Fact]
    public void Reads_a_scrape_whose_files_are_not_sorted_as_opentracker_sends_them()
    {
        var high = Enumerable.Repeat((byte)0xff, 20).ToArray();
        byte[] body = [.. "d5:filesd20:"u8, .. high, .. "d8:completei2e10:downloadedi1e10:incompletei0ee20:"u8,
            .. new byte[20], .. "d8:completei1e10:downloadedi0e10:incompletei3eee5:flagsd20:min_request_intervali30eee"u8];
        var files = HttpTrackerResponse.ParseScrape(body, TrackerLimits.Default);
        files.Should().HaveCount(2);
        files[new string('f', 40)].Should().Be(new ScrapeEntry(2, 0, 1));
        files[new string('0', 40)].Should().Be(new ScrapeEntry(1, 3, 0));
    }

    [Theory]
    [InlineData("d5:filesd3:abcd8:completei1eeee")]
    [InlineData("d5:filesd20:aaaaaaaaaaaaaaaaaaaad8:completei-1eeee")]
    [InlineData("d5:files")]
    [InlineData("le")]
    [InlineData("d8:intervali5ee")]
    public void Rejects_a_malformed_scrape(string body)
    {
        var parse = () => HttpTrackerResponse.ParseScrape(System.Text.Encoding.Latin1.GetBytes(body), TrackerLimits.Default);
        parse.Should().Throw<TrackerException>();
    }

    [Fact]
    public void A_scrape_failure_reason_is_the_tracker_refusing()
    {
        var parse = () => HttpTrackerResponse.ParseScrape("d14:failure reason6:nope!!e"u8.ToArray(), TrackerLimits.Default);
        parse.Should().Throw<TrackerException>().Which.Reason.Should().Be(TrackerErrorReason.TrackerFailure);
    }

    [Theory]
    [InlineData("http://t.example/announce", "http://t.example/scrape")]
    [InlineData("http://t.example/x/announce.php?passkey=1", "http://t.example/x/scrape.php?passkey=1")]
    [InlineData("http://t.example/a", null)]
    public void Derives_the_BEP_48_scrape_URL(string announce, string? scrape)
    {
        HttpTrackerClient.ScrapeUrl(new Uri(announce))?.ToString().Should().Be(scrape);
        if (scrape is null) HttpTrackerClient.ScrapeUrl(new Uri(announce)).Should().BeNull();
    }
}
