using System.Diagnostics;
using System.Security.Cryptography;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.StorePaths;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// Decode-and-hash throughput of <see cref="NarVerifier"/> (one pass: SHA-256 of the compressed file and of the
/// decoded nar) for xz and zstd, against `xz -dc FILE | sha256sum` and `zstd -dc FILE | sha256sum` on the same file
/// in the same run. Ratio &gt; 1 means NarSeed is faster.
/// </summary>
public sealed class NarDecodeBenchmark : IBenchmark
{
    public string Name => "nar-decode";

    public string Description => "decode+hash MB/s for xz and zstd vs `xz -dc | sha256sum`, `zstd -dc | sha256sum` [MiB=256]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var mib = arguments.Count > 0 ? int.Parse(arguments[0], System.Globalization.CultureInfo.InvariantCulture) : 256;
        using var dir = new TempDirectory("narseed-bench-");
        var plainPath = dir.Combine("data.nar");
        var plain = MixedData(mib * 1024L * 1024);
        await File.WriteAllBytesAsync(plainPath, plain, cancellationToken);
        var narHash = new NixHash(HashAlgorithmKind.Sha256, SHA256.HashData(plain));
        Console.WriteLine($"input: {mib} MiB of mixed data (1/4 random, 3/4 varied text)");

        foreach (var (method, tool, compressArgs) in new[]
        {
            (CompressionMethod.Xz, "xz", "-T2 -6 -c"),
            (CompressionMethod.Zstd, "zstd", "-q -T2 -9 -c"),
        })
        {
            var packed = dir.Combine("data.nar." + tool);
            (await ProcessRunner.RunAsync("sh", ["-c", $"{tool} {compressArgs} {plainPath} > {packed}"], TimeSpan.FromMinutes(20),
                cancellationToken: cancellationToken)).EnsureSuccess(tool);
            var fileBytes = await File.ReadAllBytesAsync(packed, cancellationToken);
            var expectation = new NarExpectation(method, new NixHash(HashAlgorithmKind.Sha256, SHA256.HashData(fileBytes)),
                fileBytes.Length, narHash, plain.Length);
            fileBytes = null;

            // Warm the page cache and the JIT once, then time each side twice and keep the best.
            await NarVerifier.VerifyFileAsync(packed, expectation, cancellationToken);
            var ours = double.MaxValue;
            var theirs = double.MaxValue;
            for (var round = 0; round < 2; round++)
            {
                var watch = Stopwatch.StartNew();
                var result = await NarVerifier.VerifyFileAsync(packed, expectation, cancellationToken);
                ours = Math.Min(ours, watch.Elapsed.TotalSeconds);
                if (!result.IsValid) throw new InvalidOperationException("NarSeed failed to verify its own benchmark file.");

                watch.Restart();
                var pipe = await ProcessRunner.RunAsync("sh", ["-c", $"{tool} -dc {packed} | sha256sum"], TimeSpan.FromMinutes(10),
                    cancellationToken: cancellationToken);
                theirs = Math.Min(theirs, watch.Elapsed.TotalSeconds);
                pipe.EnsureSuccess(tool);
                if (!pipe.StandardOutput.StartsWith(Convert.ToHexStringLower(narHash.Digest), StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{tool} | sha256sum disagrees with the nar hash.");
                }
            }
            var mb = plain.Length / 1e6;
            Console.WriteLine($"{tool,-5} file {new FileInfo(packed).Length / 1e6,8:F1} MB  NarSeed {mb / ours,7:F1} MB/s ({ours:F2} s)  " +
                $"`{tool} -dc | sha256sum` {mb / theirs,7:F1} MB/s ({theirs:F2} s)  ratio {theirs / ours:F2}");
        }
        return 0;
    }

    private static byte[] MixedData(long size)
    {
        var random = new Random(2026);
        var data = new byte[size];
        var words = "nix store path derivation output reference closure substitute narinfo signature hash compression "
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(System.Text.Encoding.ASCII.GetBytes).ToArray();
        const int block = 64 * 1024;
        for (long offset = 0; offset < size; offset += block)
        {
            var span = data.AsSpan((int)offset, (int)Math.Min(block, size - offset));
            if (random.Next(4) == 0)
            {
                random.NextBytes(span);
                continue;
            }
            var at = 0;
            while (at < span.Length)
            {
                var word = words[random.Next(words.Length)];
                var n = Math.Min(word.Length, span.Length - at);
                word.AsSpan(0, n).CopyTo(span[at..]);
                at += n;
                if (at < span.Length) span[at++] = random.Next(12) == 0 ? (byte)'\n' : (byte)' ';
                if (at + 8 < span.Length && random.Next(20) == 0)
                {
                    random.NextBytes(span.Slice(at, 4));
                    at += 4;
                }
            }
        }
        return data;
    }
}
