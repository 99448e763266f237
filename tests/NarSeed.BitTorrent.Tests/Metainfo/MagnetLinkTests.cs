using System.Net;
using NarSeed.BitTorrent.Metainfo;
using NarSeed.BitTorrent.Tests.Interop.Creator;

namespace NarSeed.BitTorrent.Tests.Metainfo;

/// <summary>Magnet parsing and writing, with the parser cases of libtorrent's test_magnet.cpp idea list
/// (bittorrent.md §9.4) checked against libtorrent's own parse_magnet_uri.</summary>
public class MagnetLinkTests
{
    private const string V1 = "000102030405060708090a0b0c0d0e0f10111213";
    private const string V1Base32 = "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT";
    private const string V2 = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd";

    public static readonly TheoryData<string, string?, string?, string?> Good = new()
    {
        { $"magnet:?xt=urn:btih:{V1}", V1, null, null },
        { $"magnet:?xt=urn:btih:{V1Base32}", V1, null, null },
        { $"magnet:?xt=urn:btih:{V1Base32.ToLowerInvariant()}&dn=lower", V1, null, "lower" },
        { $"magnet:?xt=urn:btmh:1220{V2}", null, V2, null },
        { $"magnet:?xt=urn:btih:{V1}&xt=urn:btmh:1220{V2}&dn=hybrid", V1, V2, "hybrid" },
        { $"magnet:?XT=urn:btmh:1220{V2}&DN=upper", null, V2, "upper" },
        { $"magnet:?xt.1=urn:btmh:1220{V2}&dn=suffix", null, V2, "suffix" },
        { $"magnet:?xt=urn%3Abtmh%3A1220{V2}&dn=caf%C3%A9%20x", null, V2, "café x" },
        { $"magnet:?xt=urn:btmh:1220{V2}&unknown=1&dn=n", null, V2, "n" },
    };

    public static readonly TheoryData<string, MagnetErrorReason, bool> Bad = new()
    {
        // (link, reason, libtorrent also rejects it)
        { $"http://x/?xt=urn:btih:{V1}", MagnetErrorReason.InvalidScheme, true },
        { "magnet:?dn=no-hash", MagnetErrorReason.MissingInfoHash, true },
        { $"magnet:?xt=urn:btih:{V1[..39]}", MagnetErrorReason.InvalidInfoHash, true },
        { $"magnet:?xt=urn:btih:{V1[..38]}zz", MagnetErrorReason.InvalidInfoHash, false }, // libtorrent 2.0.8 accepts it
        { $"magnet:?xt=urn:btmh:1221{V2}", MagnetErrorReason.InvalidInfoHash, true },
        { $"magnet:?xt=urn:btmh:1220{V2[..62]}", MagnetErrorReason.InvalidInfoHash, true },
        { $"magnet:?xt=urn:btmh:{V2}", MagnetErrorReason.InvalidInfoHash, true },
        { $"magnet:?xt=urn:btih:{V1}&xt=urn:btih:{V2[..40]}", MagnetErrorReason.ConflictingInfoHash, false },
        { $"magnet:?xt=urn:btmh:1220{V2}&xl=-5", MagnetErrorReason.InvalidLength, false },
        { $"magnet:?xt=urn:btmh:1220{V2}&x.pe=[::1]", MagnetErrorReason.InvalidPeer, false },
        { $"magnet:?xt=urn:btmh:1220{V2}&x.pe=1.2.3.4:99999", MagnetErrorReason.InvalidPeer, false },
        { $"magnet:?xt=urn:btmh:1220{V2}&ws=not%20a%20url", MagnetErrorReason.InvalidUrl, false },
        { $"magnet:?xt=urn:btmh:1220{V2}&dn=%zz", MagnetErrorReason.InvalidEscape, false },
    };

    [Fact]
    public async Task Parses_good_links_like_libtorrent()
    {
        var cases = Good.Select(row => ((string)row[0], (string?)row[1], (string?)row[2], (string?)row[3])).ToList();
        var lt = await LibtorrentCreator.RunAsync(new { mode = "magnets", uris = cases.Select(c => c.Item1) }, TimeSpan.FromSeconds(30));
        for (var i = 0; i < cases.Count; i++)
        {
            var (link, v1, v2, name) = cases[i];
            var magnet = MagnetLink.Parse(link);
            (magnet.InfoHashV1 is { } h1 ? Convert.ToHexStringLower(h1.Span) : null).Should().Be(v1, link);
            (magnet.InfoHashV2 is { } h2 ? Convert.ToHexStringLower(h2.Span) : null).Should().Be(v2, link);
            magnet.DisplayName.Should().Be(name, link);
            ((string?)lt[i]!["v1"]).Should().Be(v1, link);
            ((string?)lt[i]!["v2"]).Should().Be(v2, link);
            ((string?)lt[i]!["name"] is "" ? null : (string?)lt[i]!["name"]).Should().Be(name, link);
        }
    }

    [Fact]
    public async Task Rejects_malformed_links_with_a_reason()
    {
        var cases = Bad.Select(row => ((string)row[0], (MagnetErrorReason)row[1], (bool)row[2])).ToList();
        var lt = await LibtorrentCreator.RunAsync(new { mode = "magnets_try", uris = cases.Select(c => c.Item1) }, TimeSpan.FromSeconds(30));
        for (var i = 0; i < cases.Count; i++)
        {
            var (link, reason, libtorrentRejects) = cases[i];
            var act = () => MagnetLink.Parse(link);
            act.Should().Throw<MagnetLinkException>(link).Which.Reason.Should().Be(reason, link);
            MagnetLink.TryParse(link, out var none).Should().BeFalse();
            none.Should().BeNull();
            if (libtorrentRejects) ((string?)lt[i]!["error"]).Should().NotBeNull($"libtorrent rejects {link}");
        }
    }

    [Fact]
    public void Round_trips_every_field_in_libtorrents_order()
    {
        var magnet = new MagnetLink
        {
            InfoHashV1 = Convert.FromHexString(V1),
            InfoHashV2 = Convert.FromHexString(V2),
            DisplayName = "a b&c.nar",
            ExactLength = 12345,
            Trackers = ["udp://t.example:1/announce?x=1&y=2"],
            WebSeeds = ["https://cache.example/nar/a b.nar"],
            Peers = [new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), new IPEndPoint(IPAddress.IPv6Loopback, 6882), new DnsEndPoint("seed.example", 51413)],
        };
        var text = magnet.ToString();
        text.Should().Be($"magnet:?xt=urn:btih:{V1}&xt=urn:btmh:1220{V2}&dn=a%20b%26c.nar&xl=12345" +
                         "&tr=udp%3A%2F%2Ft.example%3A1%2Fannounce%3Fx%3D1%26y%3D2&ws=https%3A%2F%2Fcache.example%2Fnar%2Fa%20b.nar" +
                         "&x.pe=10.0.0.1:6881&x.pe=[::1]:6882&x.pe=seed.example:51413");
        var back = MagnetLink.Parse(text);
        back.InfoHashV1!.Value.ToArray().Should().Equal(Convert.FromHexString(V1));
        back.InfoHashV2!.Value.ToArray().Should().Equal(Convert.FromHexString(V2));
        back.DisplayName.Should().Be("a b&c.nar");
        back.ExactLength.Should().Be(12345);
        back.Trackers.Should().Equal(magnet.Trackers);
        back.WebSeeds.Should().Equal(magnet.WebSeeds);
        back.Peers.Select(p => p.ToString()).Should().Equal(magnet.Peers.Select(p => p.ToString()));
    }

    [Fact]
    public void A_link_without_a_hash_cannot_be_written()
    {
        var act = () => new MagnetLink { DisplayName = "x" }.ToString();
        act.Should().Throw<InvalidOperationException>();
    }
}
