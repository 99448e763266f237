using NarSeed.Catalog;
using NarSeed.Mirror;
using NarSeed.Seeding;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Tests.Seeding;

/// <summary>
/// The Guix narinfo a node serves, from real narinfos (bordeaux, current layout; berlin 2017, old layout): the signed
/// bytes and the Signature line stay, the unsigned URL groups shrink to the node's one, Magnet follows, and the real
/// signature still verifies against the publisher's key.
/// </summary>
public sealed class GuixServedNarInfoTests
{
    private const string Magnet = "magnet:?xt=urn:btmh:1220" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private static string Vector(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", name));

    private static NarFileRecord Nar(string url, string compression, long size) =>
        new("cs56i9digj9qg1bd383cmxc6xrfpdn9n", url, "https://bordeaux.guix.gnu.org/" + url, compression, "sha256:x", size,
            "cs56i9digj9qg1bd383cmxc6xrfpdn9n.nar.zst", NarState.Ready);

    [Fact]
    public void Current_layout_keeps_the_signed_part_and_serves_one_url_group_and_a_magnet()
    {
        var text = Vector("G1.narinfo");
        var origin = GuixNarInfo.Parse(text);
        var chosen = NarMirror.ChooseGuixEntry(origin.Entries, NarMirror.DefaultGuixCompressions)!;
        chosen.Compression.Should().Be(CompressionMethod.Zstd, "zstd is preferred over lzip by default");

        var served = NodeNarInfos.GuixServedText(text, "/gnu/store",
            Nar("nar/cs56i9digj9qg1bd383cmxc6xrfpdn9n.nar.zst", "zstd", chosen.FileSize!.Value), Magnet);

        var signatureLineEnd = text.IndexOf('\n', origin.SignedPart.Length) + 1;
        served.Should().StartWith(text[..signatureLineEnd]);
        served[signatureLineEnd..].Should().Be(
            $"URL: nar/cs56i9digj9qg1bd383cmxc6xrfpdn9n.nar.zst\nCompression: zstd\nFileSize: {chosen.FileSize}\nMagnet: {Magnet}\n");
        var parsed = GuixNarInfo.Parse(served);
        parsed.Entries.Should().ContainSingle();
        parsed.GetExtraField("Magnet").Should().Be(Magnet);
        var signer = GuixSignatureVerifier.ParseSignatureField(origin.SignatureValue!).Find("public-key")!;
        GuixSignatureVerifier.Verify(parsed, [GuixPublicKey.FromExpression(signer)]).Should().Be(GuixSignatureVerdict.Valid);
    }

    [Fact]
    public void Old_layout_with_signed_urls_is_kept_whole_and_gets_a_magnet()
    {
        var text = Vector("G2.narinfo");
        var served = NodeNarInfos.GuixServedText(text, "/gnu/store", Nar("nar/x.nar.gz", "gzip", 1), Magnet);
        served.Should().Be(text + "Magnet: " + Magnet + "\n");
    }

    [Fact]
    public void A_preferred_compression_the_narinfo_lacks_falls_back_to_the_next()
    {
        var origin = GuixNarInfo.Parse(Vector("G1.narinfo"));
        NarMirror.ChooseGuixEntry(origin.Entries, ["xz", "lzip"])!.Compression.Should().Be(CompressionMethod.Lzip);
    }
}
