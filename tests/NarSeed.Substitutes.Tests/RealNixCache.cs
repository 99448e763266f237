using NarSeed.TestSupport;

namespace NarSeed.Substitutes.Tests;

/// <summary>
/// A signed binary cache built by real Nix 2.8 (daemonless, chroot store; real-peers.md): a content-addressed
/// directory, a text file referring to it (builtins.toFile), and an input-addressed builtin:buildenv derivation output
/// that refers to the directory and to itself (manifest.nix points at its own path). The closure is copied with a
/// freshly generated key into four caches: xz, zstd, bzip2 and none. Built once per test class.
/// </summary>
public sealed class RealNixCache : IAsyncLifetime
{
    public static readonly string[] Compressions = ["xz", "zstd", "bzip2", "none"];

    private static readonly TimeSpan NixTimeout = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _dir = new("narseed-nix-");

    public string Root => _dir.Path;

    public string Store => _dir.Combine("store");

    public string SecretKey { get; private set; } = "";

    /// <summary>The public key exactly as `nix key convert-secret-to-public` printed it.</summary>
    public string PublicKey { get; private set; } = "";

    /// <summary>The input-addressed buildenv output (self-reference, reference to the directory).</summary>
    public string EnvPath { get; private set; } = "";

    public string NotePath { get; private set; } = "";

    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public string CacheDir(string compression) => _dir.Combine("cache-" + compression);

    public async Task InitializeAsync()
    {
        ExternalTool.Require("nix");
        foreach (var d in new[] { "etc", "state", "log", "xdg-cache", "home", "dep" }) Directory.CreateDirectory(_dir.Combine(d));
        await File.WriteAllTextAsync(_dir.Combine("etc", "nix.conf"),
            "build-users-group =\nexperimental-features = nix-command\nsubstituters =\n" +
            "narinfo-cache-negative-ttl = 0\nnarinfo-cache-positive-ttl = 0\n");
        Environment = new Dictionary<string, string>
        {
            ["NIX_CONF_DIR"] = _dir.Combine("etc"),
            ["NIX_USER_CONF_FILES"] = "",
            ["NIX_STATE_DIR"] = _dir.Combine("state"),
            ["NIX_LOG_DIR"] = _dir.Combine("log"),
            ["XDG_CACHE_HOME"] = _dir.Combine("xdg-cache"),
            ["HOME"] = _dir.Combine("home"),
        };
        // Mixed content: incompressible random bytes and highly compressible text.
        var random = new byte[150_000];
        new Random(5).NextBytes(random);
        await File.WriteAllBytesAsync(_dir.Combine("dep", "random.bin"), random);
        await File.WriteAllTextAsync(_dir.Combine("dep", "numbers.txt"), string.Join('\n', Enumerable.Range(0, 20_000)));
        await File.WriteAllTextAsync(_dir.Combine("env.nix"), """
            let
              dep = builtins.path { path = ./dep; name = "narseed-dep"; };
              note = builtins.toFile "narseed-note" "data lives in ${dep}\n";
            in derivation {
              name = "narseed-env";
              system = builtins.currentSystem;
              builder = "builtin:buildenv";
              derivations = "true 5 1 ${dep}";
              manifest = builtins.placeholder "out";
              inherit note;
            }
            """);

        SecretKey = (await Nix("nix", "key", "generate-secret", "--key-name", "narseed-test-1")).Trim();
        PublicKey = (await Nix("nix", ["key", "convert-secret-to-public"], stdin: SecretKey)).Trim();
        await File.WriteAllTextAsync(_dir.Combine("secret.key"), SecretKey);

        EnvPath = (await Nix("nix-build", "--store", Store, _dir.Combine("env.nix"), "--no-out-link")).Trim().Split('\n')[^1];
        NotePath = (await Nix("nix-instantiate", "--store", Store, "--eval", "--read-write-mode", "-E",
            $"(import {_dir.Combine("env.nix")}).note")).Trim().Trim('"');
        foreach (var compression in Compressions)
        {
            await Nix("nix", "copy", "--store", Store, "--to",
                $"file://{CacheDir(compression)}?compression={compression}&secret-key={_dir.Combine("secret.key")}", EnvPath, NotePath);
        }
    }

    public Task<string> Nix(string tool, params string[] arguments) => Nix(tool, arguments, null);

    public async Task<string> Nix(string tool, string[] arguments, string? stdin, TimeSpan? timeout = null)
    {
        var result = await ProcessRunner.RunAsync(ExternalTool.Require(tool), arguments, timeout ?? NixTimeout, _dir.Path,
            Environment, stdin);
        result.EnsureSuccess($"{tool} {string.Join(' ', arguments)}");
        return result.StandardOutput;
    }

    public async Task<ProcessResult> TryNix(string tool, string[] arguments, TimeSpan? timeout = null) =>
        await ProcessRunner.RunAsync(ExternalTool.Require(tool), arguments, timeout ?? NixTimeout, _dir.Path, Environment);

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
