using NarSeed.Substitutes.NarInfo;

namespace NarSeed.Substitutes.Tests.NarInfo;

/// <summary>Guix recutils reading rules (guix/records.scm) and the byte-exact signed part.</summary>
public class GuixNarInfoTests
{
    private static readonly string G1 = VectorFiles.Read("G1");

    [Fact]
    public void Comments_continuations_and_the_blank_line_that_ends_the_record()
    {
        var text = "# a comment\n" + G1.Replace("System: x86_64-linux\n", "System: x86_64\n+-linux\n") + "\nStorePath: ignored after the blank line\n";
        var info = GuixNarInfo.Parse(text);
        info.System.Should().Be("x86_64\n-linux");
        info.StorePath.Name.Should().Be("hello-2.12.2");
        info.SignedPart.Should().StartWith("# a comment\n");
    }

    [Theory]
    [InlineData("-oops\n", NarInfoErrorReason.UnmatchedLine)]
    [InlineData("Nocolon\n", NarInfoErrorReason.MissingColon)]
    [InlineData("URL: nar/extra\n", NarInfoErrorReason.MismatchedGroups)]
    [InlineData("NarSize: 1\n", NarInfoErrorReason.DuplicateField)]
    public void Broken_lines_are_rejected(string appended, NarInfoErrorReason reason)
    {
        var act = () => GuixNarInfo.Parse(G1 + appended);
        act.Should().Throw<NarInfoFormatException>().Which.Reason.Should().Be(reason);
    }

    [Fact]
    public void Fields_moved_after_the_signature_make_it_unsigned()
    {
        var lines = G1.Split('\n').ToList();
        var refs = lines.Single(l => l.StartsWith("References:", StringComparison.Ordinal));
        lines.Remove(refs);
        lines.Insert(lines.Count - 1, refs);
        var info = GuixNarInfo.Parse(string.Join('\n', lines));
        info.SignedPartHasRequiredFields.Should().BeFalse();
        NarSeed.Substitutes.Signatures.GuixSignatureVerifier.Verify(info, [NarSeed.Substitutes.Signatures.GuixPublicKey.Parse(VectorFiles.BordeauxKey)])
            .Should().Be(NarSeed.Substitutes.Signatures.GuixSignatureVerdict.Unsigned);
    }

    [Fact]
    public void Original_bytes_survive_parsing()
    {
        foreach (var id in VectorFiles.NixIds().Select(i => (string)i[0]))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(VectorFiles.Read(id));
            NixNarInfo.Parse(bytes).ToBytes().Should().Equal(bytes);
        }
        GuixNarInfo.Parse(G1).Text.Should().Be(G1);
    }
}
