using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.NarInfo;

namespace NarSeed.Substitutes.Tests.NarInfo;

/// <summary>Nix-dialect field rules (nar-info.cc; substitutes.md §1.2).</summary>
public class NixNarInfoTests
{
    private static readonly string N1 = VectorFiles.Read("N1");

    private static NarInfoErrorReason ReasonOf(string text)
    {
        var act = () => NixNarInfo.Parse(text);
        return act.Should().Throw<NarInfoFormatException>().Which.Reason;
    }

    [Fact]
    public void Missing_compression_means_bzip2()
    {
        var info = NixNarInfo.Parse(N1.Replace("Compression: xz\n", ""));
        info.Compression.Should().Be(CompressionMethod.Bzip2);
        info.HasCompressionField.Should().BeFalse();
        NixNarInfo.Parse(N1.Replace("Compression: xz\n", "Compression: \n")).Compression.Should().Be(CompressionMethod.Bzip2);
    }

    [Fact]
    public void FileHash_in_base16_nix32_and_base64_is_the_same_hash()
    {
        var n5 = NixNarInfo.Parse(VectorFiles.Read("N5"));
        n5.FileHash!.ToNix32String().Should().Be("sha256:0fn02ls73n5ndgvvclll1lkg0viq4cbmhx8xcgr5flmzrcvjiarn");
        var b64 = "sha256:" + Convert.ToBase64String(n5.FileHash.Digest);
        NixNarInfo.Parse(VectorFiles.Read("N5").Replace("FileHash: sha256:36ab2837cbbf5257f2631d75581723386ef0260d9452b6f76bb6d8713415c03a", "FileHash: " + b64))
            .FileHash.Should().Be(n5.FileHash);
    }

    [Fact]
    public void Unknown_deriver_repeated_sig_and_extra_fields()
    {
        var n6 = NixNarInfo.Parse(VectorFiles.Read("N6"));
        n6.Deriver.Should().BeNull();
        n6.Signatures.Should().HaveCount(2);
        var extra = NixNarInfo.Parse(N1 + "Foo: bar\nSystem: x86_64-linux\n");
        extra.GetExtraField("Foo").Should().Be("bar");
        extra.ExtraFields.Should().HaveCount(2);
        NixNarInfo.Parse(N1 + N1.Split('\n')[^2] + "\n").Signatures.Should().ContainSingle("a repeated identical Sig collapses, as in Nix's set");
    }

    [Theory]
    [InlineData("References: \n", NarInfoErrorReason.DuplicateField)]
    [InlineData("CA: fixed:r:sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s\nCA: fixed:r:sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s\n", NarInfoErrorReason.DuplicateField)]
    [InlineData("CA: nonsense\n", NarInfoErrorReason.BadContentAddress)]
    [InlineData("Foo:bar\n", NarInfoErrorReason.MissingSpaceAfterColon)]
    [InlineData("no colon here\n", NarInfoErrorReason.MissingColon)]
    [InlineData("Foo: bar", NarInfoErrorReason.MissingNewline)]
    public void Broken_additions_are_rejected(string appended, NarInfoErrorReason reason) => ReasonOf(N1 + appended).Should().Be(reason);

    [Theory]
    [InlineData("StorePath: ", NarInfoErrorReason.MissingField)]
    [InlineData("URL: ", NarInfoErrorReason.MissingField)]
    [InlineData("NarHash: ", NarInfoErrorReason.MissingField)]
    [InlineData("NarSize: ", NarInfoErrorReason.MissingField)]
    public void Required_fields(string prefix, NarInfoErrorReason reason)
    {
        var line = N1.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal));
        ReasonOf(N1.Replace(line + "\n", "")).Should().Be(reason);
    }

    [Fact]
    public void Field_values_are_checked()
    {
        ReasonOf(N1.Replace("NarSize: 226552", "NarSize: 0")).Should().Be(NarInfoErrorReason.ZeroNarSize);
        ReasonOf(N1.Replace("NarSize: 226552", "NarSize: -1")).Should().Be(NarInfoErrorReason.BadNumber);
        ReasonOf(N1.Replace("FileSize: 50160", "FileSize: 99999999999999999999")).Should().Be(NarInfoErrorReason.BadNumber);
        ReasonOf(N1.Replace("Compression: xz", "Compression: rar")).Should().Be(NarInfoErrorReason.UnknownCompression);
        ReasonOf(N1.Replace("NarHash: sha256:0", "NarHash: sha256:z")).Should().Be(NarInfoErrorReason.BadHash);
        ReasonOf(N1.Replace("StorePath: /nix/store", "StorePath: /gnu/store")).Should().Be(NarInfoErrorReason.StorePathOutsideStore);
        ReasonOf(N1.Replace("Deriver: 1zpq", "Deriver: !zpq")).Should().Be(NarInfoErrorReason.BadDeriver);
        ReasonOf(N1.Replace("References: n5glp", "References: !5glp")).Should().Be(NarInfoErrorReason.BadReference);
        var act = () => NixNarInfo.Parse(N1 + "Foo: bar\n", "/nix/store", new NarInfoLimits { MaxBytes = 100 });
        act.Should().Throw<NarInfoFormatException>().Which.Reason.Should().Be(NarInfoErrorReason.TooLarge);
        var utf8 = System.Text.Encoding.UTF8.GetBytes(N1).Append((byte)0xff).ToArray();
        var bad = () => NixNarInfo.Parse(utf8);
        bad.Should().Throw<NarInfoFormatException>().Which.Reason.Should().Be(NarInfoErrorReason.InvalidUtf8);
    }

    [Fact]
    public void Errors_carry_the_line_number()
    {
        var act = () => NixNarInfo.Parse(N1.Replace("FileSize: 50160", "FileSize: x"));
        act.Should().Throw<NarInfoFormatException>().Which.Line.Should().Be(5);
    }

    [Fact]
    public void Editing_keeps_every_other_byte_and_refuses_signed_fields()
    {
        var info = NixNarInfo.Parse(N1);
        var edited = info.WithField("URL", "nar/other.nar.xz");
        edited.Text.Should().Be(N1.Replace("URL: nar/1lid9xrpirkzcpqsxfq02qwiq0yd70chfl860wzsqd1739ih0nri.nar.xz", "URL: nar/other.nar.xz"));
        edited.WithField("Magnet", "magnet:?xt=1").WithField("Magnet", "magnet:?xt=2").Text.Should().Be(edited.Text + "Magnet: magnet:?xt=2\n");
        foreach (var name in new[] { "StorePath", "NarHash", "NarSize", "References", "Sig", "CA" })
        {
            var act = () => info.WithField(name, "x");
            act.Should().Throw<ArgumentException>();
        }
        var newline = () => info.WithField("Magnet", "a\nStorePath: /nix/store/x");
        newline.Should().Throw<ArgumentException>();
        var badName = () => info.WithField("Bad Name", "x");
        badName.Should().Throw<ArgumentException>();
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Canonical_text_reparses_to_the_same_fingerprint(string id)
    {
        var info = NixNarInfo.Parse(VectorFiles.Read(id));
        var again = NixNarInfo.Parse(info.ToCanonicalText());
        again.Fingerprint().Should().Be(info.Fingerprint());
        again.Signatures.Should().Equal(info.Signatures);
        again.Url.Should().Be(info.Url);
    }
}
