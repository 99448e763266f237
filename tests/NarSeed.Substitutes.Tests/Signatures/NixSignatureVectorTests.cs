using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Substitutes.Tests.Signatures;

/// <summary>Real signed narinfos (substitutes.md §1.6) and their negative variants.</summary>
public class NixSignatureVectorTests
{
    private static SignatureVerdict Check(string text, string id) =>
        NixSignatureVerifier.Verify(NixNarInfo.Parse(text), [NixPublicKey.Parse(VectorFiles.KeyFor(id))]).Verdict;

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Real_vector_verifies(string id) =>
        Check(VectorFiles.Read(id), id).Should().Be(SignatureVerdict.Valid);

    [Fact]
    public void Fingerprints_match_the_recomputed_ones()
    {
        NixNarInfo.Parse(VectorFiles.Read("N1")).Fingerprint().Should().Be(
            "1;/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-hello-2.12.1;sha256:07kc6swib31psygpmwi8952lvywlpqn474059yxl7grwsvr6k0fj;226552;/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-hello-2.12.1,/nix/store/qdcbgcj27x2kpxj2sf9yfvva7qsgg64g-glibc-2.38-77");
        NixNarInfo.Parse(VectorFiles.Read("N9")).Fingerprint().Should().Be(
            "1;/nix/store/yj1wxm9hh8610iyzqnz75kvs6xl8j3my-source;sha256:1bzg89hgcr2gvza35vqi4n1jbb2gz1yg4b8p7gry4ihsj2mnnbap;2440;");
        NixNarInfo.Parse(VectorFiles.Read("D1")).Fingerprint().Should().Be(
            "1;/nix/store/syd87l2rxw8cbsxmxl853h0r6pdwhwjr-curl-7.82.0-bin;sha256:1b4sb93wp679q4zx9k1ignby1yna3z7c4c2ri3wphylbc2dwsys0;196040;/nix/store/0jqd0rlxzra1rs38rdxl43yh6rxchgc6-curl-7.82.0,/nix/store/6w8g7njm4mck5dmjxws0z1xnrxvl81xa-glibc-2.34-115,/nix/store/j5jxw3iy7bbz4a57fh9g2xm2gxmyal8h-zlib-1.2.12,/nix/store/yxvjs9drzsphm9pcf42a4byzj1kb9m7k-openssl-1.1.1n");
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Flipped_NarHash_fails(string id)
    {
        var text = VectorFiles.Read(id);
        var info = NixNarInfo.Parse(text);
        var nix32 = info.NarHash.ToNix32String();
        var flipped = nix32[..^1] + (nix32[^1] == '0' ? '1' : '0');
        var line = text.Split('\n').Single(l => l.StartsWith("NarHash: ", StringComparison.Ordinal));
        Check(text.Replace(line, "NarHash: " + flipped), id).Should().Be(SignatureVerdict.Invalid);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Changed_NarSize_fails(string id)
    {
        var text = VectorFiles.Read(id);
        var size = NixNarInfo.Parse(text).NarSize;
        Check(text.Replace($"NarSize: {size}\n", $"NarSize: {size + 1}\n"), id).Should().Be(SignatureVerdict.Invalid);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Added_reference_fails(string id)
    {
        var text = VectorFiles.Read(id);
        const string extra = "0jqd0rlxzra1rs38rdxl43yh6rxchgc7-extra-1.0";
        var changed = text.Contains("\nReferences: ", StringComparison.Ordinal)
            ? text.Replace("\nReferences: ", "\nReferences: " + extra + " ")
            : text.Replace("\nSig: ", "\nReferences: " + extra + "\nSig: ");
        NixNarInfo.Parse(changed).References.Should().HaveCount(NixNarInfo.Parse(text).References.Count + 1);
        Check(changed, id).Should().Be(SignatureVerdict.Invalid);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Wrong_key_with_the_same_name_fails(string id)
    {
        var other = NixSecretKey.Generate("x").PublicKey;
        var name = NixPublicKey.Parse(VectorFiles.KeyFor(id)).Name;
        NixSignatureVerifier.Verify(NixNarInfo.Parse(VectorFiles.Read(id)), [new NixPublicKey(name, other.Key)])
            .Verdict.Should().Be(SignatureVerdict.Invalid);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Key_with_another_name_is_untrusted(string id) =>
        NixSignatureVerifier.Verify(NixNarInfo.Parse(VectorFiles.Read(id)), [NixSecretKey.Generate("someone-else").PublicKey])
            .Verdict.Should().Be(SignatureVerdict.Untrusted);

    [Fact]
    public void Signature_of_the_wrong_length_fails()
    {
        var text = VectorFiles.Read("N1");
        var sigLine = text.Split('\n').Single(l => l.StartsWith("Sig: ", StringComparison.Ordinal));
        Check(text.Replace(sigLine, "Sig: cache.nixos.org-1:SGVsbG8gdGhlcmUhCg=="), "N1").Should().Be(SignatureVerdict.Invalid);
    }

    [Fact]
    public void No_signature_is_unsigned()
    {
        var text = VectorFiles.Read("N1");
        var sigLine = text.Split('\n').Single(l => l.StartsWith("Sig: ", StringComparison.Ordinal));
        Check(text.Replace(sigLine + "\n", ""), "N1").Should().Be(SignatureVerdict.Unsigned);
    }

    [Theory]
    [MemberData(nameof(VectorFiles.NixIds), MemberType = typeof(VectorFiles))]
    public void Unsigned_fields_can_change_and_the_signature_stays_valid(string id)
    {
        var info = NixNarInfo.Parse(VectorFiles.Read(id))
            .WithField("URL", "https://mirror.example/nar/x.nar.zst")
            .WithField("Compression", "zstd")
            .WithField("FileHash", "sha256:" + new string('0', 64))
            .WithField("FileSize", "12345")
            .WithField("Magnet", "magnet:?xt=urn:btmh:1220" + new string('a', 64))
            .WithField("Foo", "bar");
        info.GetExtraField("Magnet").Should().StartWith("magnet:");
        NixSignatureVerifier.Verify(info, [NixPublicKey.Parse(VectorFiles.KeyFor(id))]).Verdict.Should().Be(SignatureVerdict.Valid);
    }

    [Fact]
    public void Two_signatures_one_from_an_unknown_key_is_valid()
    {
        var check = NixSignatureVerifier.Verify(NixNarInfo.Parse(VectorFiles.Read("N6")), [NixPublicKey.Parse(VectorFiles.CacheNixosOrgKey)]);
        check.Verdict.Should().Be(SignatureVerdict.Valid);
        check.UntrustedKeyNames.Should().Equal("nix-cache.cluster.nasreddine.com");
    }

    [Fact]
    public void Own_key_signs_and_verifies_and_the_new_sig_line_is_added()
    {
        var key = NixSecretKey.Generate("narseed-test-1");
        var info = NixNarInfo.Parse(VectorFiles.Read("N2"));
        var signed = info.WithSignature(key.Sign(info.Fingerprint()));
        signed.Signatures.Should().HaveCount(2);
        NixSignatureVerifier.Verify(signed, [key.PublicKey]).Verdict.Should().Be(SignatureVerdict.Valid);
        NixSignatureVerifier.Verify(signed, [NixPublicKey.Parse(VectorFiles.CacheNixosOrgKey)]).Verdict.Should().Be(SignatureVerdict.Valid);
        NixSecretKey.Parse(key.ToString()).PublicKey.ToString().Should().Be(key.PublicKey.ToString());
    }
}
