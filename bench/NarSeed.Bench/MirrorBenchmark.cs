using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NarSeed.Hosting;
using NarSeed.Mirror;
using NarSeed.Substitutes.NarInfo;
using NarSeed.Substitutes.Signatures;
using NarSeed.Substitutes.StorePaths;
using NarSeed.TestSupport;

namespace NarSeed.Bench;

/// <summary>
/// Mirroring a closure of about 1 GiB (uncompressed nars of random data, signed narinfos) from nginx on 127.0.0.1:
/// MB/s of the node's whole pipeline (narinfo, download, verify, fsync+rename, torrent, catalog) against curl
/// fetching the same nar files to disk in the same run, and the time per phase.
/// </summary>
public sealed class MirrorBenchmark : IBenchmark
{
    public string Name => "mirror";

    public string Description =>
        "mirror MB/s of a ~1 GiB closure from local nginx vs curl, time per phase [MiB=1024 paths=16 none|xz|zstd]";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var mib = arguments.Count > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 1024;
        var paths = arguments.Count > 1 ? int.Parse(arguments[1], CultureInfo.InvariantCulture) : 16;
        var compression = arguments.Count > 2 ? arguments[2] : "none";
        using var dir = new TempDirectory("narseed-bench-mirror-");
        var cache = await SyntheticNixCache.CreateAsync(dir.Combine("cache"), paths, mib * 1024L * 1024 / paths, compression);
        Console.WriteLine($"closure: {paths} paths, {cache.TotalNarBytes / 1048576.0:F0} MiB of nars, " +
                          $"{cache.TotalFileBytes / 1048576.0:F0} MiB of {compression} files");
        await using var nginx = await BenchNginx.StartAsync(cache.Directory, 1);

        // Reference: curl writing every nar to disk (sequentially, then with the node's concurrency).
        var curlDir = dir.Combine("curl");
        Directory.CreateDirectory(curlDir);
        var watch = Stopwatch.StartNew();
        var urls = string.Join(' ', cache.NarUrls.Select(u => $"{nginx.BaseUrl}/{u}"));
        (await ProcessRunner.RunAsync("sh", ["-c", $"cd {curlDir} && curl -s --parallel --parallel-max {MirrorOptions.DefaultConcurrency} --remote-name-all {urls} && sync"],
            TimeSpan.FromMinutes(10), cancellationToken: cancellationToken)).EnsureSuccess("curl");
        var curlSeconds = watch.Elapsed.TotalSeconds;
        Directory.Delete(curlDir, true);

        var httpPort = FreePort.Tcp();
        await File.WriteAllTextAsync(dir.Combine("config.json"), "{}", cancellationToken);
        await File.WriteAllLinesAsync(dir.Combine("roots"), cache.StorePaths, cancellationToken);
        KeyValuePair<string, string?>[] settings =
        [
            new("State", dir.Combine("state")), new("Http", $"127.0.0.1:{httpPort}"),
            new("BitTorrent:Port", FreePort.Tcp().ToString(CultureInfo.InvariantCulture)),
            new("Origins:0", nginx.BaseUrl), new("TrustedKeys:0", cache.PublicKey), new("Roots:0", dir.Combine("roots")),
            new("Mirror:Interval", "10:00:00"),
        ];
        var configuration = NodeConfiguration.Build(dir.Combine("config.json"), settings, new Hashtable(), dir.Path);
        // CPU time as well as wall time: on a shared machine the wall time depends on the others' load, the CPU
        // seconds the node spends per byte much less.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        await using var app = NodeHost.Build(configuration, NodeServices.LoadOptions(configuration), new SystemdNotifier(null));
        await app.StartAsync(cancellationToken);
        var progress = app.Services.GetRequiredService<MirrorProgress>();
        while (progress.PassesCompleted < 1)
        {
            await Task.Delay(20, cancellationToken);
        }
        var nodeSeconds = watch.Elapsed.TotalSeconds;
        var nodeCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        await app.StopAsync(cancellationToken);
        if (progress.Mirrored != paths || progress.TotalFailures != 0)
        {
            throw new InvalidOperationException($"mirrored {progress.Mirrored} of {paths}, {progress.TotalFailures} failures");
        }

        // MB/s of the files transferred (what curl moves too); the node also decodes them into NarSize bytes.
        var megabytes = cache.TotalFileBytes / 1e6;
        Console.WriteLine($"curl (parallel {MirrorOptions.DefaultConcurrency}) to disk: {curlSeconds,6:F2} s  {megabytes / curlSeconds,7:F0} MB/s");
        Console.WriteLine($"node mirror (start to pass done): {nodeSeconds,6:F2} s  {megabytes / nodeSeconds,7:F0} MB/s");
        Console.WriteLine($"ratio node/curl: {curlSeconds / nodeSeconds:F2}x");
        Console.WriteLine($"node CPU: {nodeCpuSeconds:F2} s user+system ({nodeCpuSeconds / (cache.TotalNarBytes / 1073741824.0):F2} s per GiB of nar); " +
                          $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        var total = Enum.GetValues<MirrorPhase>().Sum(p => progress.TimeIn(p).TotalSeconds);
        Console.WriteLine("where the time goes (summed over workers):");
        foreach (var phase in Enum.GetValues<MirrorPhase>())
        {
            var seconds = progress.TimeIn(phase).TotalSeconds;
            Console.WriteLine($"  {phase,-9} {seconds,7:F2} s  {100 * seconds / total,5:F1} %");
        }
        return 0;
    }
}

/// <summary>
/// A signed Nix binary cache of synthetic paths: each nar is one regular file of random bytes (valid nar framing),
/// uncompressed or compressed by the real xz or zstd (then of random nibbles, which compress about 2:1), with a signed
/// narinfo; path i refers to path i+1, so one root reaches them all.
/// </summary>
internal sealed class SyntheticNixCache
{
    private const string Alphabet = "0123456789abcdfghijklmnpqrsvwxyz";

    public required string Directory { get; init; }

    public required string PublicKey { get; init; }

    public required IReadOnlyList<string> StorePaths { get; init; }

    public required IReadOnlyList<string> NarUrls { get; init; }

    public long TotalNarBytes { get; init; }

    public long TotalFileBytes { get; init; }

    public static async Task<SyntheticNixCache> CreateAsync(string directory, int count, long narSize, string compression = "none")
    {
        var (tool, extension, flags) = compression switch
        {
            "none" => ("", "", Array.Empty<string>()),
            "xz" => ("xz", ".xz", new[] { "-0", "-T2", "-q" }),
            "zstd" => ("zstd", ".zst", new[] { "-3", "-T2", "-q", "--rm" }),
            _ => throw new ArgumentException($"unknown compression '{compression}' (none, xz, zstd)", nameof(compression)),
        };
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "nar"));
        await File.WriteAllTextAsync(Path.Combine(directory, "nix-cache-info"),
            "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n");
        var key = NixSecretKey.Generate("bench-1");
        var random = new Random(42);
        var storePaths = Enumerable.Range(0, count).Select(i =>
            "/nix/store/" + new string(Enumerable.Range(0, 32).Select(_ => Alphabet[random.Next(32)]).ToArray()) +
            "-bench-" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var urls = new List<string>();
        long total = 0;
        long totalFiles = 0;
        for (var i = 0; i < count; i++)
        {
            var contents = new byte[Math.Max(1, narSize - 160)];
            random.NextBytes(contents);
            if (tool.Length > 0)
            {
                foreach (ref var b in contents.AsSpan()) b &= 0x0F;
            }
            var nar = Nar(contents);
            var hash = new NixHash(HashAlgorithmKind.Sha256, SHA256.HashData(nar));
            var url = $"nar/{Nix32.Encode(hash.Digest)}.nar";
            await File.WriteAllBytesAsync(Path.Combine(directory, url), nar);
            var file = nar;
            if (tool.Length > 0)
            {
                (await ProcessRunner.RunAsync(ExternalTool.Require(tool), [.. flags, Path.Combine(directory, url)],
                    TimeSpan.FromMinutes(10))).EnsureSuccess(tool);
                url += extension;
                file = await File.ReadAllBytesAsync(Path.Combine(directory, url));
            }
            var fileHash = new NixHash(HashAlgorithmKind.Sha256, SHA256.HashData(file));
            var references = i + 1 < count ? Path.GetFileName(storePaths[i + 1]) : "";
            var text = $"StorePath: {storePaths[i]}\nURL: {url}\nCompression: {compression}\nFileHash: {fileHash}\n" +
                       $"FileSize: {file.Length}\nNarHash: {hash}\nNarSize: {nar.Length}\nReferences: {references}\n";
            var info = NixNarInfo.Parse(text);
            info = info.WithSignature(key.Sign(info.Fingerprint()));
            await File.WriteAllTextAsync(Path.Combine(directory, Path.GetFileName(storePaths[i])[..32] + ".narinfo"), info.Text);
            urls.Add(url);
            total += nar.Length;
            totalFiles += file.Length;
        }
        return new SyntheticNixCache
        {
            Directory = directory, PublicKey = key.PublicKey.ToString(), StorePaths = storePaths, NarUrls = urls,
            TotalNarBytes = total, TotalFileBytes = totalFiles,
        };
    }

    /// <summary>The nar serialisation of one regular file: length-prefixed strings padded to 8 bytes.</summary>
    private static byte[] Nar(byte[] contents)
    {
        using var stream = new MemoryStream();
        void Str(ReadOnlySpan<byte> s)
        {
            Span<byte> length = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)s.Length);
            stream.Write(length);
            stream.Write(s);
            stream.Write(new byte[(8 - s.Length % 8) % 8]);
        }
        foreach (var token in new[] { "nix-archive-1", "(", "type", "regular", "contents" }) Str(Encoding.ASCII.GetBytes(token));
        Str(contents);
        Str(")"u8);
        return stream.ToArray();
    }
}

/// <summary>nginx on 127.0.0.1 serving a directory (own prefix and config, daemon off), killed on dispose.</summary>
internal sealed class BenchNginx : IAsyncDisposable
{
    private readonly TempDirectory _prefix = new("narseed-bench-nginx-");
    private RunningProcess? _process;

    public int Port { get; } = FreePort.Tcp();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static async Task<BenchNginx> StartAsync(string root, int workers)
    {
        var nginx = new BenchNginx();
        var p = nginx._prefix;
        System.IO.Directory.CreateDirectory(p.Combine("tmp"));
        var user = Environment.UserName == "root" ? "user root;" : "";
        await File.WriteAllTextAsync(p.Combine("nginx.conf"), $$"""
            daemon off; {{user}} worker_processes {{workers}}; pid {{p.Combine("nginx.pid")}};
            error_log {{p.Combine("error.log")}} warn;
            events { worker_connections 1024; }
            http {
                access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
                client_body_temp_path {{p.Combine("tmp")}}; proxy_temp_path {{p.Combine("tmp")}};
                fastcgi_temp_path {{p.Combine("tmp")}}; uwsgi_temp_path {{p.Combine("tmp")}}; scgi_temp_path {{p.Combine("tmp")}};
                types { text/x-nix-narinfo narinfo; } default_type application/octet-stream;
                server { listen 127.0.0.1:{{nginx.Port}}; root {{root}}; }
            }
            """);
        nginx._process = RunningProcess.Start(ExternalTool.Require("nginx"),
            ["-p", p.Path, "-c", p.Combine("nginx.conf"), "-e", p.Combine("error.log")]);
        using var http = new HttpClient();
        for (var i = 0; ; i++)
        {
            try
            {
                await http.GetAsync(nginx.BaseUrl + "/");
                return nginx;
            }
            catch (HttpRequestException) when (i < 200)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _prefix.Dispose();
    }
}
