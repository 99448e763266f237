using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.Substitutes.StorePaths;
using NarSeed.Tests.EndToEnd;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>
/// `narseed proxy --dialect guix` over HTTP as `guix substitute` uses it (/nix-cache-info, HEAD/GET narinfo, GET nar),
/// with real Guix narinfos (substitutes.md §3.3: G1 bordeaux current layout, G2–G4 berlin old layout) and their real
/// keys, served by nginx-light as the upstream. NarSeed.Substitutes can only verify Guix signatures, not make them: the
/// nar path uses G1's real signed narinfo with stand-in bytes of its zstd group's FileSize (the proxy checks the size),
/// and a narinfo signed here by the system's libgcrypt (<see cref="GuixTestSigner"/>) whose nar is checked against
/// NarHash/NarSize after decompressing, as Guix does. The swarm (magnet) path is shared with Nix and not run here.
/// </summary>
public sealed class ProxyGuixTests : IDisposable
{
    private const string BordeauxKey = "(public-key (ecc (curve Ed25519) (q #7D602902D3A2DBB83F8A0FB98602A754C5493B0B778C8D1DD4E0F41DE14DE34F#)))";
    private const string BerlinKey = "(public-key (ecc (curve Ed25519) (q #8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394#)))";
    private const string G1Hash = "cs56i9digj9qg1bd383cmxc6xrfpdn9n";
    private const int G1ZstdSize = 73413;

    private readonly TempDirectory _dir = new("narseed-proxy-guix-");

    public void Dispose() => _dir.Dispose();

    private static string Vector(string id) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", id + ".narinfo"));

    private static string HashOf(string text) => GuixNarInfo.Parse(text).StorePath.HashPart;

    /// <summary>An upstream directory holding the vectors' narinfos; <paramref name="zstdBytes"/> as G1's zstd nar.</summary>
    private string Upstream(byte[]? zstdBytes = null, string? g1Magnet = null)
    {
        var root = Directory.CreateDirectory(_dir.Combine("upstream")).FullName;
        File.WriteAllText(Path.Combine(root, "nix-cache-info"), "StoreDir: /gnu/store\n");
        foreach (var id in new[] { "G1", "G2", "G3", "G4" })
        {
            var extra = id == "G1" && g1Magnet is not null ? $"Magnet: {g1Magnet}\n" : "";
            File.WriteAllText(Path.Combine(root, HashOf(Vector(id)) + ".narinfo"), Vector(id) + extra);
        }
        if (zstdBytes is not null)
        {
            Directory.CreateDirectory(Path.Combine(root, "nar", "zstd"));
            File.WriteAllBytes(Path.Combine(root, "nar", "zstd", G1Hash + "-hello-2.12.2"), zstdBytes);
        }
        return root;
    }

    private string KeyFile(string name, string key)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, key + "\n");
        return path;
    }

    private Task<InProcessProxy> StartProxyAsync(NginxOrigin origin, string name, params string[] keys) =>
        InProcessProxy.StartAsync(_dir.Combine(name),
            [new("Upstreams:0", origin.BaseUrl), new("Dialect", "guix"),
             .. keys.Select((k, i) => new KeyValuePair<string, string?>($"TrustedKeys:{i}", k))]);

    [Fact]
    public async Task Served_narinfo_keeps_the_real_signature_and_points_one_zstd_group_at_the_proxy()
    {
        // A NarSeed node upstream adds Magnet after the signature; the proxy passes it on.
        const string magnet = "magnet:?xt=urn:btmh:1220" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        await using var origin = await NginxOrigin.StartAsync(Upstream(g1Magnet: magnet));
        await using var proxy = await StartProxyAsync(origin, "p", KeyFile("bordeaux.pub", BordeauxKey));

        (await proxy.Http.GetStringAsync("nix-cache-info")).Should().Contain("StoreDir: /gnu/store\n");
        using var head = await proxy.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, G1Hash + ".narinfo"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);

        var served = await proxy.Http.GetStringAsync(G1Hash + ".narinfo");
        var original = GuixNarInfo.Parse(Vector("G1"));
        var info = GuixNarInfo.Parse(served);
        info.SignedPart.Should().Be(original.SignedPart);
        info.SignatureValue.Should().Be(original.SignatureValue);
        GuixSignatureVerifier.Verify(info, [GuixPublicKey.Parse(BordeauxKey)]).Should().Be(GuixSignatureVerdict.Valid);
        info.Entries.Should().ContainSingle().Which.Should().Be(
            new GuixNarInfoEntry($"nar/{G1Hash}.nar.zst", Substitutes.Compression.CompressionMethod.Zstd, G1ZstdSize));
        info.GetExtraField("Magnet").Should().Be(magnet);
    }

    [Fact]
    public async Task Untrusted_key_old_layout_and_missing_paths_are_fast_404s()
    {
        await using var origin = await NginxOrigin.StartAsync(Upstream());
        // Only berlin trusted: G1 (bordeaux) is refused. G2–G4 verify but sign their URLs (old layout), which the
        // proxy cannot repoint at itself, so it refuses them too and Guix moves on to its next substitute URL.
        await using var proxy = await StartProxyAsync(origin, "p", KeyFile("berlin.pub", BerlinKey));
        foreach (var id in new[] { "G1", "G2", "G3", "G4" })
        {
            using var response = await proxy.Http.GetAsync(HashOf(Vector(id)) + ".narinfo");
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, id);
        }
        var clock = Stopwatch.StartNew();
        using var missing = await proxy.Http.GetAsync("0jqd0rlxzra1rs38rdxl43yh6rxchgc7.narinfo");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Nar_named_by_the_served_narinfo_comes_through_with_the_upstream_bytes()
    {
        var bytes = new byte[G1ZstdSize];
        new Random(7).NextBytes(bytes);
        await using var origin = await NginxOrigin.StartAsync(Upstream(bytes));
        await using var proxy = await StartProxyAsync(origin, "p", KeyFile("bordeaux.pub", BordeauxKey));

        var info = GuixNarInfo.Parse(await proxy.Http.GetStringAsync(G1Hash + ".narinfo"));
        (await proxy.Http.GetByteArrayAsync(info.Entries[0].Url)).Should().Equal(bytes);
        (await proxy.StatusAfterFetchesAsync(1)).GetProperty("totals").GetRawText().Should().Contain($"{G1ZstdSize}");
        // A second fetch is served from the proxy's cache, byte for byte.
        (await proxy.Http.GetByteArrayAsync(info.Entries[0].Url)).Should().Equal(bytes);
        proxy.Cache.Count.Should().Be(1);
    }

    [Fact]
    public async Task Nar_of_the_wrong_FileSize_is_not_delivered_whole()
    {
        var bytes = new byte[G1ZstdSize - 100];
        new Random(8).NextBytes(bytes);
        await using var origin = await NginxOrigin.StartAsync(Upstream(bytes));
        await using var proxy = await StartProxyAsync(origin, "p", KeyFile("bordeaux.pub", BordeauxKey));

        byte[]? delivered = null;
        try
        {
            using var response = await proxy.Http.GetAsync($"nar/{G1Hash}.nar.zst");
            if (response.IsSuccessStatusCode) delivered = await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // A broken-off response: Guix sees a failed download, never a short nar as a success.
        }
        delivered.Should().BeNull("a nar shorter than the narinfo's FileSize must not reach Guix as a success");
        proxy.Cache.Count.Should().Be(0);
    }

    [Fact]
    public async Task Own_signed_narinfo_nar_fetch_gives_bytes_that_match_NarHash_and_NarSize()
    {
        // A store path signed here with a fresh libgcrypt key; gzip nar (the proxy serves any upstream compression).
        const string path = "/gnu/store/0jqd0rlxzra1rs38rdxl43yh6rxchgc7-own-1.0";
        var nar = new byte[50_000];
        new Random(9).NextBytes(nar);
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(nar);
        var (key, signedText) = await GuixTestSigner.SignAsync(
            $"StorePath: {path}\nNarHash: sha256:{Nix32.Encode(SHA256.HashData(nar))}\nNarSize: {nar.Length}\n" +
            $"References: 0jqd0rlxzra1rs38rdxl43yh6rxchgc7-own-1.0\nSystem: x86_64-linux\n");
        var root = Directory.CreateDirectory(_dir.Combine("own")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "nar", "gzip"));
        await File.WriteAllBytesAsync(Path.Combine(root, "nar", "gzip", "0jqd0rlxzra1rs38rdxl43yh6rxchgc7-own-1.0"), compressed.ToArray());
        await File.WriteAllTextAsync(Path.Combine(root, "0jqd0rlxzra1rs38rdxl43yh6rxchgc7.narinfo"), signedText +
            $"URL: nar/gzip/0jqd0rlxzra1rs38rdxl43yh6rxchgc7-own-1.0\nCompression: gzip\nFileSize: {compressed.Length}\n");
        await using var origin = await NginxOrigin.StartAsync(root);
        await using var proxy = await StartProxyAsync(origin, "p", KeyFile("own.pub", key));

        var info = GuixNarInfo.Parse(await proxy.Http.GetStringAsync("0jqd0rlxzra1rs38rdxl43yh6rxchgc7.narinfo"));
        GuixSignatureVerifier.Verify(info, [GuixPublicKey.Parse(key)]).Should().Be(GuixSignatureVerdict.Valid);
        info.Entries.Should().ContainSingle().Which.Url.Should().Be("nar/0jqd0rlxzra1rs38rdxl43yh6rxchgc7.nar.gzip");
        // What `guix substitute` does with the nar: decompress, then compare with NarHash and NarSize.
        var fetched = await proxy.Http.GetByteArrayAsync(info.Entries[0].Url);
        fetched.Should().Equal(compressed.ToArray());
        await using var unpacked = new GZipStream(new MemoryStream(fetched), CompressionMode.Decompress);
        var restored = new MemoryStream();
        await unpacked.CopyToAsync(restored);
        restored.Length.Should().Be(info.NarSize);
        Nix32.Encode(SHA256.HashData(restored.ToArray())).Should().Be(Nix32.Encode(info.NarHash.Digest));
    }
}
