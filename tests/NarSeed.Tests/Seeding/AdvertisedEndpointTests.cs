using Microsoft.Extensions.Configuration;
using NarSeed.Hosting;
using NarSeed.Seeding;

namespace NarSeed.Tests.Seeding;

/// <summary>The magnet's x.pe: the configured public address, else the HTTP host with the BitTorrent port.</summary>
public sealed class AdvertisedEndpointTests
{
    private static NodeOptions Options(string http, string? publicAddress) =>
        new() { Http = http, BitTorrent = new BitTorrentOptions { PublicAddress = publicAddress } };

    [Theory]
    [InlineData("127.0.0.1:8080", null, "127.0.0.1:6881")]
    [InlineData("0.0.0.0:8080", null, "127.0.0.1:6881")]
    [InlineData("[::]:8080", null, "[::1]:6881")]
    [InlineData("127.0.0.1:8080", "203.0.113.7", "203.0.113.7:6881")]
    [InlineData("127.0.0.1:8080", "203.0.113.7:7000", "203.0.113.7:7000")]
    public void Advertised_endpoint(string http, string? publicAddress, string expected) =>
        SeedingService.AdvertisedEndpoint(Options(http, publicAddress), 6881)!.ToString().Should().Be(expected);

    [Fact]
    public async Task A_bad_public_address_stops_start_up_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("State", "s"), new("BitTorrent:PublicAddress", "not an address")]).Build();
        var act = () => NodeServices.LoadOptions(configuration);
        act.Should().Throw<NodeConfigurationException>().WithMessage("*--bt-public-address*");
        await Task.CompletedTask;
    }
}
