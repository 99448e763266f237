using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Substitutes.Tests.Signatures;

/// <summary>Real Guix narinfos (substitutes.md §3.3), verified through libgcrypt's ECDSA over Ed25519.</summary>
public class GuixSignatureVectorTests
{
    private static GuixPublicKey KeyFor(string id) => GuixPublicKey.Parse(id == "G1" ? VectorFiles.BordeauxKey : VectorFiles.BerlinKey);

    private static GuixSignatureVerdict Check(string text, string id) =>
        GuixSignatureVerifier.Verify(GuixNarInfo.Parse(text), [KeyFor(id)]);

    [Theory]
    [MemberData(nameof(VectorFiles.GuixIds), MemberType = typeof(VectorFiles))]
    public void Real_vector_verifies(string id) => Check(VectorFiles.Read(id), id).Should().Be(GuixSignatureVerdict.Valid);

    [Fact]
    public void G1_groups_and_signed_part_are_read()
    {
        var info = GuixNarInfo.Parse(VectorFiles.Read("G1"));
        info.Entries.Should().HaveCount(2);
        info.Entries[0].Compression.Should().Be(NarSeed.Substitutes.Compression.CompressionMethod.Lzip);
        info.Entries[1].FileSize.Should().Be(73413);
        info.System.Should().Be("x86_64-linux");
        info.SignedPart.Should().EndWith("hello-2.12.2.drv\n");
        info.References.Should().HaveCount(3);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.GuixIds), MemberType = typeof(VectorFiles))]
    public void Flipped_NarHash_is_a_hash_mismatch(string id)
    {
        var text = VectorFiles.Read(id);
        var line = text.Split('\n').Single(l => l.StartsWith("NarHash: ", StringComparison.Ordinal));
        var flipped = line[..^1] + (line[^1] == '0' ? '1' : '0');
        Check(text.Replace(line, flipped), id).Should().Be(GuixSignatureVerdict.HashMismatch);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.GuixIds), MemberType = typeof(VectorFiles))]
    public void Changed_NarSize_or_added_reference_fails(string id)
    {
        var text = VectorFiles.Read(id);
        var info = GuixNarInfo.Parse(text);
        Check(text.Replace($"NarSize: {info.NarSize}\n", $"NarSize: {info.NarSize + 1}\n"), id).Should().Be(GuixSignatureVerdict.HashMismatch);
        Check(text.Replace("References: ", "References: 0jqd0rlxzra1rs38rdxl43yh6rxchgc7-extra-1.0 "), id).Should().Be(GuixSignatureVerdict.HashMismatch);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.GuixIds), MemberType = typeof(VectorFiles))]
    public void Wrong_key_is_unauthorized(string id) =>
        GuixSignatureVerifier.Verify(GuixNarInfo.Parse(VectorFiles.Read(id)), [GuixPublicKey.Parse(id == "G1" ? VectorFiles.BerlinKey : VectorFiles.BordeauxKey)])
            .Should().Be(GuixSignatureVerdict.UnauthorizedKey);

    [Fact]
    public void Tampered_r_with_a_matching_hash_is_invalid_through_libgcrypt()
    {
        var info = GuixNarInfo.Parse(VectorFiles.Read("G1"));
        var sexpText = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(info.SignatureValue!.Split(';')[2]));
        var tampered = sexpText.Replace("(r #0BA6", "(r #0BA7");
        tampered.Should().NotBe(sexpText);
        var newValue = "1;bayfront;" + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(tampered));
        Check(info.Text.Replace(info.SignatureValue, newValue), "G1").Should().Be(GuixSignatureVerdict.Invalid);
    }

    [Fact]
    public void Signature_of_the_wrong_length_is_corrupt_or_invalid()
    {
        var info = GuixNarInfo.Parse(VectorFiles.Read("G2"));
        Check(info.Text.Replace(info.SignatureValue!, "1;host;SGVsbG8gdGhlcmUhCg=="), "G2").Should().Be(GuixSignatureVerdict.Corrupt);
        var sexpText = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(info.SignatureValue!.Split(';')[2]));
        var shortS = System.Text.RegularExpressions.Regex.Replace(sexpText, @"\(s #([0-9A-F]+)#\)", m => $"(s #{m.Groups[1].Value[..40]}#)");
        var value = "1;host;" + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(shortS));
        Check(info.Text.Replace(info.SignatureValue!, value), "G2").Should().Be(GuixSignatureVerdict.Invalid);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.GuixIds), MemberType = typeof(VectorFiles))]
    public void Magnet_after_the_signature_keeps_it_valid(string id)
    {
        var info = GuixNarInfo.Parse(VectorFiles.Read(id)).WithExtraField("Magnet", "magnet:?xt=urn:btmh:1220" + new string('b', 64));
        info.Text.Should().EndWith("\n");
        info.GetExtraField("Magnet").Should().StartWith("magnet:");
        GuixSignatureVerifier.Verify(info, [KeyFor(id)]).Should().Be(GuixSignatureVerdict.Valid);
        var replaced = info.WithExtraField("Magnet", "magnet:?xt=urn:btmh:1220" + new string('c', 64));
        replaced.ExtraFields.Count(f => f.Name == "Magnet").Should().Be(1);
        GuixSignatureVerifier.Verify(replaced, [KeyFor(id)]).Should().Be(GuixSignatureVerdict.Valid);
    }

    [Fact]
    public void Unsigned_narinfo_is_unsigned()
    {
        var text = VectorFiles.Read("G2");
        var cut = text[..text.IndexOf("Signature:", StringComparison.Ordinal)];
        Check(cut, "G2").Should().Be(GuixSignatureVerdict.Unsigned);
    }

    [Fact]
    public void Acl_file_yields_its_keys()
    {
        var acl = $"(acl (entry {VectorFiles.BerlinKey} (tag (guix import))) (entry {VectorFiles.BordeauxKey} (tag (guix import))))";
        var keys = GuixPublicKey.ParseAll(acl);
        keys.Should().HaveCount(2);
        keys[0].Curve.Should().Be("Ed25519");
        Convert.ToHexString(keys[1].Q!).Should().StartWith("7D6029");
    }
}
