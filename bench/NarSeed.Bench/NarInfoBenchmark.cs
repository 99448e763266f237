using System.Diagnostics;
using System.Text;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// Narinfos parsed per second and Nix signatures verified per second (libsodium), over real signed narinfos from
/// cache.nixos.org (substitutes.md §1.6).
/// </summary>
public sealed class NarInfoBenchmark : IBenchmark
{
    public string Name => "narinfo";

    public string Description => "narinfos parsed/s and Nix Ed25519 signatures verified/s";

    // Real narinfos (kalbasit/ncps testdata nar1.go, nar2.go; a Deno narinfo_test.ts for the curl one).
    private static readonly string[] Samples =
    [
        "StorePath: /nix/store/n5glp21rsz314qssw9fbvfswgy3kc68f-hello-2.12.1\nURL: nar/1lid9xrpirkzcpqsxfq02qwiq0yd70chfl860wzsqd1739ih0nri.nar.xz\nCompression: xz\nFileHash: sha256:1lid9xrpirkzcpqsxfq02qwiq0yd70chfl860wzsqd1739ih0nri\nFileSize: 50160\nNarHash: sha256:07kc6swib31psygpmwi8952lvywlpqn474059yxl7grwsvr6k0fj\nNarSize: 226552\nReferences: n5glp21rsz314qssw9fbvfswgy3kc68f-hello-2.12.1 qdcbgcj27x2kpxj2sf9yfvva7qsgg64g-glibc-2.38-77\nDeriver: 1zpqmcicrg8smi9jlqv6dmd7v20d2fsn-hello-2.12.1.drv\nSig: cache.nixos.org-1:MadTCU1OSFCGUw4aqCKpLCZJpqBc7AbLvO7wgdlls0eq1DwaSnF/82SZE+wJGEiwlHbnZR+14daSaec0W3XoBQ==\n",
        "StorePath: /nix/store/3acqrvb06vw0w3s9fa3wci433snbi2bg-hello-2.12.1\nURL: nar/1xqqdh1yn5sz3d6wcz3qz3azm5mbypwq6mv8g2dal1v042h0sprf.nar.xz\nCompression: xz\nFileHash: sha256:1xqqdh1yn5sz3d6wcz3qz3azm5mbypwq6mv8g2dal1v042h0sprf\nFileSize: 50308\nNarHash: sha256:188g68hrjilbsjifcj70k8729zqhm9sl1q336vg5wxwzw0qp0sk4\nNarSize: 226560\nReferences: 3acqrvb06vw0w3s9fa3wci433snbi2bg-hello-2.12.1 kpy2cyd05vdr6j1h200av81fnlxl1jw0-glibc-2.39-52\nDeriver: 3gdc0qnmn6srg32sx019az6ll2mz1cda-hello-2.12.1.drv\nSig: cache.nixos.org-1:eGSj5WPpZRjwzx7eWpCyZdNsFHjhtGTZF8T4FccYXjHNkTOZoGPfplgFP1w5bEST0/FtfV7f3AmQUVEv1NAEDg==\n",
        "StorePath: /nix/store/syd87l2rxw8cbsxmxl853h0r6pdwhwjr-curl-7.82.0-bin\nURL: nar/05ra3y72i3qjri7xskf9qj8kb29r6naqy1sqpbs3azi3xcigmj56.nar.xz\nCompression: xz\nFileHash: sha256:05ra3y72i3qjri7xskf9qj8kb29r6naqy1sqpbs3azi3xcigmj56\nFileSize: 68852\nNarHash: sha256:1b4sb93wp679q4zx9k1ignby1yna3z7c4c2ri3wphylbc2dwsys0\nNarSize: 196040\nReferences: 0jqd0rlxzra1rs38rdxl43yh6rxchgc6-curl-7.82.0 6w8g7njm4mck5dmjxws0z1xnrxvl81xa-glibc-2.34-115 j5jxw3iy7bbz4a57fh9g2xm2gxmyal8h-zlib-1.2.12 yxvjs9drzsphm9pcf42a4byzj1kb9m7k-openssl-1.1.1n\nDeriver: 5rwxzi7pal3qhpsyfc16gzkh939q1np6-curl-7.82.0.drv\nSig: cache.nixos.org-1:TsTTb3WGTZKphvYdBHXwo6weVILmTytUjLB+vcX89fOjjRicCHmKA4RCPMVLkj6TMJ4GMX3HPVWRdD1hkeKZBQ==\n",
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var seconds = arguments.Count > 0 ? double.Parse(arguments[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var bytes = Samples.Select(Encoding.UTF8.GetBytes).ToArray();
        var key = NixPublicKey.Parse("cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=");
        var parsed = bytes.Select(b => NixNarInfo.Parse(b)).ToArray();
        if (parsed.Any(p => NixSignatureVerifier.Verify(p, [key]).Verdict != SignatureVerdict.Valid))
        {
            Console.Error.WriteLine("sample narinfos do not verify");
            return 1;
        }

        var parseRate = Measure(seconds, i => NixNarInfo.Parse(bytes[i % bytes.Length]), cancellationToken);
        var verifyRate = Measure(seconds, i => NixSignatureVerifier.Verify(parsed[i % parsed.Length], [key]), cancellationToken);
        var bothRate = Measure(seconds, i => NixSignatureVerifier.Verify(NixNarInfo.Parse(bytes[i % bytes.Length]), [key]), cancellationToken);
        Console.WriteLine($"narinfo parse            {parseRate,12:N0} /s  ({1e6 / parseRate:F2} µs each)");
        Console.WriteLine($"Nix signature verify     {verifyRate,12:N0} /s  ({1e6 / verifyRate:F2} µs each, fingerprint + Ed25519)");
        Console.WriteLine($"parse + verify           {bothRate,12:N0} /s  ({1e6 / bothRate:F2} µs each)");

        // Reference in the same run: OpenSSL's raw Ed25519 verification rate (no fingerprint, no parsing).
        var speed = await ProcessRunner.RunAsync("openssl", ["speed", "-seconds", ((int)Math.Ceiling(seconds)).ToString(System.Globalization.CultureInfo.InvariantCulture), "ed25519"],
            TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        var line = speed.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains("Ed25519", StringComparison.Ordinal));
        if (line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 2 } parts
            && double.TryParse(parts[^1], System.Globalization.CultureInfo.InvariantCulture, out var opensslVerify))
        {
            Console.WriteLine($"openssl speed ed25519    {opensslVerify,12:N0} verify/s  -> NarSeed verify/openssl ratio {verifyRate / opensslVerify:F2}");
        }
        else
        {
            Console.WriteLine("openssl speed ed25519: no figure (" + speed.StandardError.Trim() + ")");
        }
        return 0;
    }

    private static double Measure(double seconds, Action<int> action, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 2000; i++) action(i); // warm-up (tiering)
        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
        {
            for (var i = 0; i < 1000; i++) action(count + i);
            count += 1000;
        }
        return count / watch.Elapsed.TotalSeconds;
    }
}
