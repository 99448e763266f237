using System.Security.Cryptography;
using System.Text;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Tests.StorePaths;

/// <summary>nix32 (substitutes.md §2; vectors from NixOS/nix tests/functional/hash-convert.sh).</summary>
public class Nix32Tests
{
    [Fact]
    public void Sha256_of_abc_matches_Nix()
    {
        var digest = SHA256.HashData("abc"u8);
        Nix32.Encode(digest).Should().Be("1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s");
        Nix32.Decode("1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s").Should().Equal(digest);
    }

    [Fact]
    public void Sha1_vector_matches_Nix() =>
        Nix32.Encode(Convert.FromHexString("800d59cfcd3c05e900cb4e214be48f6b886a08df")).Should().Be("vw46m23bizj4n8afrc0fj19wrp7mj3c0");

    [Theory]
    [InlineData(20, 32)]
    [InlineData(32, 52)]
    [InlineData(64, 103)]
    [InlineData(0, 0)]
    public void Lengths_follow_the_formula(int bytes, int chars) => Nix32.EncodedLength(bytes).Should().Be(chars);

    [Fact]
    public void Round_trips_random_inputs_and_rejects_bad_characters_and_overflow()
    {
        var random = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(1, 70)];
            random.NextBytes(bytes);
            var text = Nix32.Encode(bytes);
            var back = new byte[bytes.Length];
            Nix32.TryDecode(text, back).Should().BeTrue();
            back.Should().Equal(bytes);
        }
        Nix32.TryDecode("e" + new string('0', 51), new byte[32]).Should().BeFalse();
        // A 52-char SHA-256 string must start with 0 or 1: '2' sets a bit beyond 256.
        Nix32.TryDecode("2" + new string('0', 51), new byte[32]).Should().BeFalse();
        Nix32.TryDecode(new string('0', 51), new byte[32]).Should().BeFalse();
    }

    [Fact]
    public void Hash_parses_base16_nix32_base64_and_sri_to_the_same_value()
    {
        var h = NixHash.Parse("sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s");
        NixHash.Parse("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad").Should().Be(h);
        NixHash.Parse("sha256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=").Should().Be(h);
        NixHash.Parse("sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=").Should().Be(h);
        h.ToBase16String().Should().Be("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        NixHash.TryParse("sha256:xyz", out _).Should().BeFalse();
        NixHash.TryParse("blake3:" + new string('0', 64), out _).Should().BeFalse();
        NixHash.Sha256(Encoding.ASCII.GetBytes("abc")).Should().Be(h);
    }
}
