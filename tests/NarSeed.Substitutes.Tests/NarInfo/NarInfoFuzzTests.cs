using System.Text;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;

namespace NarSeed.Substitutes.Tests.NarInfo;

/// <summary>Random and mutated inputs: parsers either succeed or throw their own format exception, quickly.</summary>
public class NarInfoFuzzTests
{
    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        var edits = random.Next(1, 8);
        for (var i = 0; i < edits && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)"\n:; ()#|\"0a-"[random.Next(12)]); break;
                case 3: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40))); break;
                default: bytes.InsertRange(at, bytes.Skip(random.Next(bytes.Count)).Take(random.Next(1, 60)).ToList()); break;
            }
        }
        return bytes.ToArray();
    }

    [Fact]
    public void Mutated_nix_narinfos_never_crash()
    {
        var random = new Random(11);
        var seeds = VectorFiles.NixIds().Select(i => Encoding.UTF8.GetBytes(VectorFiles.Read((string)i[0]))).ToList();
        var key = NixPublicKey.Parse(VectorFiles.CacheNixosOrgKey);
        for (var round = 0; round < 5000; round++)
        {
            var input = Mutate(seeds[round % seeds.Count], random);
            try
            {
                var info = NixNarInfo.Parse(input);
                NixSignatureVerifier.Verify(info, [key]);
                info.ToCanonicalText();
            }
            catch (NarInfoFormatException)
            {
            }
        }
    }

    [Fact]
    public void Mutated_guix_narinfos_and_signatures_never_crash()
    {
        var random = new Random(12);
        var seeds = VectorFiles.GuixIds().Select(i => Encoding.UTF8.GetBytes(VectorFiles.Read((string)i[0]))).ToList();
        var keys = new[] { GuixPublicKey.Parse(VectorFiles.BerlinKey), GuixPublicKey.Parse(VectorFiles.BordeauxKey) };
        for (var round = 0; round < 3000; round++)
        {
            var input = Mutate(seeds[round % seeds.Count], random);
            try
            {
                GuixSignatureVerifier.Verify(GuixNarInfo.Parse(input), keys);
            }
            catch (NarInfoFormatException)
            {
            }
        }
    }

    [Fact]
    public void Mutated_and_random_s_expressions_never_crash()
    {
        var random = new Random(13);
        var g1 = GuixNarInfo.Parse(VectorFiles.Read("G1"));
        var seed = Convert.FromBase64String(g1.SignatureValue!.Split(';')[2]);
        var canonical = SExpression.Parse(seed).ToCanonical();
        SExpression.Parse(canonical).StructurallyEquals(SExpression.Parse(seed)).Should().BeTrue();
        for (var round = 0; round < 5000; round++)
        {
            byte[] input;
            if (round % 3 == 2)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = Mutate(round % 3 == 0 ? seed : canonical, random);
            }
            try
            {
                var sexp = SExpression.Parse(input);
                SExpression.Parse(sexp.ToCanonical()).StructurallyEquals(sexp).Should().BeTrue();
            }
            catch (SExpressionFormatException)
            {
            }
        }
    }

    [Fact]
    public void Deep_and_huge_s_expressions_hit_named_limits()
    {
        var deep = new string('(', 10_000) + "a" + new string(')', 10_000);
        var act = () => SExpression.Parse(deep);
        act.Should().Throw<SExpressionFormatException>().Which.Reason.Should().Be(SExpressionErrorReason.TooDeep);
        var wide = "(" + string.Concat(Enumerable.Repeat("a ", 5000)) + ")";
        var act2 = () => SExpression.Parse(wide);
        act2.Should().Throw<SExpressionFormatException>().Which.Reason.Should().Be(SExpressionErrorReason.TooManyNodes);
        var lying = () => SExpression.Parse("(999999999:abc)");
        lying.Should().Throw<SExpressionFormatException>().Which.Reason.Should().Be(SExpressionErrorReason.BadLength);
    }

    [Fact]
    public void Random_text_never_crashes_any_narinfo_parser()
    {
        var random = new Random(14);
        const string alphabet = "StorePath:URLNarHashSizeReferencesSig /nix/store\n:-0123456789abcdfghijklmnpqrsvwxyz";
        for (var round = 0; round < 3000; round++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 400)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            try { NixNarInfo.Parse(text); } catch (NarInfoFormatException) { }
            try { GuixNarInfo.Parse(text); } catch (NarInfoFormatException) { }
            try { NixCacheInfo.Parse(text); } catch (NarInfoFormatException) { }
        }
    }
}
