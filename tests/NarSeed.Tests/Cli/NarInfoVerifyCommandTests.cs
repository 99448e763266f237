using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using NarSeed.Substitutes.StorePaths;
using NarSeed.Substitutes.Signatures;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Cli;

public class NarInfoVerifyCommandTests : IDisposable
{
    private const string CacheNixosOrgKey = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";
    private const string BordeauxKey = "(public-key (ecc (curve Ed25519) (q #7D602902D3A2DBB83F8A0FB98602A754C5493B0B778C8D1DD4E0F41DE14DE34F#)))";
    private const string BerlinKey = "(public-key (ecc (curve Ed25519) (q #8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394#)))";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Vector(string id) => Path.Combine(AppContext.BaseDirectory, "Vectors", id + ".narinfo");

    private async Task<(int Exit, JsonElement Json)> VerifyAsync(params string[] args)
    {
        var (exit, output, _) = await KeyCommandTests.RunAsync(["narinfo", "verify", .. args]);
        return (exit, JsonDocument.Parse(output).RootElement);
    }

    private string Write(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Real_nix_vector_is_valid_with_its_key()
    {
        var (exit, json) = await VerifyAsync(Vector("N1"), "--trusted-key", CacheNixosOrgKey);
        exit.Should().Be(0);
        json.GetProperty("signature").GetString().Should().Be("valid");
        json.GetProperty("dialect").GetString().Should().Be("nix");
    }

    [Fact]
    public async Task Trusted_key_repeats()
    {
        var (exit, json) = await VerifyAsync(Vector("N9"), "--trusted-key", CacheNixosOrgKey,
            "--trusted-key", "nix-community.cachix.org-1:mB9FSh9qf2dCimDSUo8Zy7bkq5CX+/rkCWyvRCYg3Fs=");
        exit.Should().Be(0);
        json.GetProperty("valid_keys")[0].GetString().Should().Be("nix-community.cachix.org-1");
    }

    [Fact]
    public async Task Verdicts_invalid_untrusted_unsigned_exit_nonzero()
    {
        var text = File.ReadAllText(Vector("N1"));
        (await VerifyAsync(Write("bad", text.Replace("NarSize: 226552", "NarSize: 226553")), "--trusted-key", CacheNixosOrgKey))
            .Json.GetProperty("signature").GetString().Should().Be("invalid");
        var untrusted = await VerifyAsync(Vector("N1"), "--trusted-key", NixSecretKey.Generate("other-1").PublicKey.ToString());
        untrusted.Exit.Should().Be(1);
        untrusted.Json.GetProperty("signature").GetString().Should().Be("untrusted");
        var sig = text.Split('\n').Single(l => l.StartsWith("Sig: ", StringComparison.Ordinal));
        var unsigned = await VerifyAsync(Write("unsigned", text.Replace(sig + "\n", "")), "--trusted-key", CacheNixosOrgKey);
        unsigned.Exit.Should().Be(1);
        unsigned.Json.GetProperty("signature").GetString().Should().Be("unsigned");
    }

    [Fact]
    public async Task With_a_nar_the_file_and_nar_hashes_are_checked()
    {
        var nar = RandomNumberGenerator.GetBytes(200_000);
        var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(nar);
        var file = packed.ToArray();
        var key = NixSecretKey.Generate("narseed-cli-1");
        var narHash = NixHash.Sha256(nar);
        var fingerprint = $"1;/nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-demo;{narHash.ToNix32String()};{nar.Length};";
        var narinfo = Write("demo.narinfo",
            "StorePath: /nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-demo\nURL: nar/demo.nar.gz\nCompression: gzip\n" +
            $"FileHash: {NixHash.Sha256(file).ToBase16String()}\nFileSize: {file.Length}\nNarHash: {narHash.ToNix32String()}\n" +
            $"NarSize: {nar.Length}\nReferences: \nSig: {key.Sign(fingerprint)}\nMagnet: magnet:?xt=urn:btmh:1220ab\n");
        var narFile = _dir.Combine("demo.nar.gz");
        await File.WriteAllBytesAsync(narFile, file);
        var keyFile = Write("keys", key.PublicKey + "\n" + CacheNixosOrgKey + "\n");

        var (exit, json) = await VerifyAsync(narinfo, "--nar", narFile, "--trusted-key", keyFile);
        exit.Should().Be(0, json.ToString());
        json.GetProperty("file_hash").GetString().Should().Be("ok");
        json.GetProperty("nar_hash").GetString().Should().Be("ok");

        var tampered = nar.ToArray();
        tampered[1234] ^= 1;
        packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(tampered);
        await File.WriteAllBytesAsync(narFile, packed.ToArray());
        (exit, json) = await VerifyAsync(narinfo, "--nar", narFile, "--trusted-key", keyFile);
        exit.Should().Be(1);
        json.GetProperty("signature").GetString().Should().Be("valid");
        json.GetProperty("file_hash").GetString().Should().Be("mismatch");
        json.GetProperty("nar_hash").GetString().Should().Be("mismatch");
        json.GetProperty("nar_size").GetString().Should().Be("ok");
    }

    [Fact]
    public async Task Guix_keys_come_from_files_with_the_public_key_sexp()
    {
        var (exit, json) = await VerifyAsync(Vector("G1"), "--trusted-key", Write("bordeaux.pub", BordeauxKey));
        exit.Should().Be(0);
        json.GetProperty("dialect").GetString().Should().Be("guix");
        (exit, json) = await VerifyAsync(Vector("G2"), "--trusted-key", Write("bordeaux2.pub", BordeauxKey));
        exit.Should().Be(1);
        json.GetProperty("signature").GetString().Should().Be("untrusted");
        (await VerifyAsync(Vector("G2"), "--trusted-key", Write("berlin.pub", BerlinKey))).Exit.Should().Be(0);
    }

    [Fact]
    public async Task Unreadable_input_exits_2_with_an_error()
    {
        var (exit, json) = await VerifyAsync(Write("junk", "StorePath: nope\nURL: x\n"), "--trusted-key", CacheNixosOrgKey);
        exit.Should().Be(2);
        json.GetProperty("error").GetString().Should().NotBeNullOrEmpty();
        (await VerifyAsync(Vector("N1"), "--trusted-key", "not-a-key")).Exit.Should().Be(2);
    }
}
