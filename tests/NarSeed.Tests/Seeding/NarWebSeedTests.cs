using NarSeed.Seeding;

namespace NarSeed.Tests.Seeding;

/// <summary>
/// A nar's torrent is named after its file on the origin and web-seeded by the origin's directory, the one form that
/// libtorrent (which requests DIR/NAME for padded v2-only torrents) and BEP 19 clients resolve to the same URL.
/// </summary>
public class NarWebSeedTests
{
    [Theory]
    [InlineData("https://cache.nixos.org/nar/1w1fff338fvdw53sqgamddn1b2xgds473pv6y13gizdbqjv4i5p3.nar.xz",
        "1w1fff338fvdw53sqgamddn1b2xgds473pv6y13gizdbqjv4i5p3.nar.xz", "https://cache.nixos.org/nar/")]
    [InlineData("http://127.0.0.1:8080/nar/zstd/abc-hello-2.12", "abc-hello-2.12", "http://127.0.0.1:8080/nar/zstd/")]
    [InlineData("https://example.org/a%20b.nar", "a b.nar", "https://example.org/")]
    public void Splits_the_origin_url_into_directory_and_file_name(string url, string name, string webSeed)
    {
        NarWebSeed.For(url, "local.nar").Should().Be((name, webSeed));
    }

    [Theory]
    [InlineData("https://cache.example/nar/x.nar.xz?token=1")]
    [InlineData("https://cache.example/nar/")]
    [InlineData("https://cache.example/nar/a%2Fb")]
    [InlineData("not a url")]
    public void Keeps_the_whole_url_and_the_local_name_when_it_cannot_be_split(string url)
    {
        NarWebSeed.For(url, "local.nar").Should().Be(("local.nar", url));
    }
}
