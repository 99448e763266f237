using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NarSeed.TestSupport;
using Xunit.Abstractions;

namespace NarSeed.Tests.Cli;

/// <summary>
/// Two `narseed` processes in two network namespaces joined by a veth pair (10.213.x addresses exist only inside the
/// namespaces) find each other by BEP 14 local service discovery alone: trackers and PEX are off and no address is
/// given. One seeds; the other (`torrent peers`) must report the seeder's namespace address and port, from LSD.
/// </summary>
public class LsdNamespaceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_processes_in_two_namespaces_find_each_other_by_LSD_alone()
    {
        using var dir = new TempDirectory("narseed-lsd-");
        var data = dir.Combine("lsd.bin");
        await File.WriteAllBytesAsync(data, RandomNumberGenerator.GetBytes(100_000));
        (await NarseedProcess.RunAsync(dir.Path, "torrent", "create", data)).EnsureSuccess("create");
        var torrent = data + ".torrent";

        await using var network = await VethPair.CreateAsync(output);
        var narseed = Path.Combine(AppContext.BaseDirectory, "narseed");
        // The finder listens first: a seeder announces at start and then only every 5 minutes (BEP 14).
        await using var finder = RunningProcess.Start(ExternalTool.Require("ip"),
            ["netns", "exec", network.NamespaceB, narseed, "torrent", "peers", torrent, "--no-trackers", "--port", "7002",
                "--timeout", "20", "--count", "1"], dir.Path);
        await UntilLoggedAsync(finder, "LSD joined 239.192.152.143");
        await using var seeder = RunningProcess.Start(ExternalTool.Require("ip"),
            ["netns", "exec", network.NamespaceA, narseed, "torrent", "seed", torrent, data, "--port", "7001", "--no-trackers",
                "--no-pex"], dir.Path);
        var result = await finder.WaitForExitAsync(Bound);
        output.WriteLine(result.StandardOutput + result.StandardError);
        output.WriteLine(seeder.StandardOutputSoFar + seeder.StandardErrorSoFar);

        result.ExitCode.Should().Be(0, "the finder must hear the seeder's LSD announce");
        var peer = JsonNode.Parse(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0])!;
        // Either group may carry the first announce: the seeder's IPv4 address, or its veth's IPv6 link-local one.
        var endpoint = System.Net.IPEndPoint.Parse((string)peer["peer"]!);
        endpoint.Port.Should().Be(7001, "the seeder's TCP port");
        if (endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            endpoint.Address.ToString().Should().Be(VethPair.AddressA, "the seeder's namespace address");
        }
        else
        {
            endpoint.Address.IsIPv6LinkLocal.Should().BeTrue();
            new System.Net.IPAddress(endpoint.Address.GetAddressBytes()).Should().Be(
                await network.LinkLocalAddressAAsync(), "the seeder's veth link-local address");
        }
        ((string)peer["source"]!).Should().Be("Lsd");
    }

    /// <summary>
    /// `torrent seed` in one namespace and `torrent get` in the other, no trackers, no PEX, no peer given: the getter
    /// learns the seeder by LSD alone, downloads the torrent and its bytes match the original.
    /// </summary>
    [Fact]
    public async Task A_narseed_get_downloads_from_a_narseed_seeder_found_by_LSD_alone()
    {
        using var dir = new TempDirectory("narseed-lsd-get-");
        var data = dir.Combine("lsd-get.bin");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(data, bytes);
        (await NarseedProcess.RunAsync(dir.Path, "torrent", "create", data)).EnsureSuccess("create");
        var torrent = data + ".torrent";
        var into = Directory.CreateDirectory(dir.Combine("got")).FullName;

        await using var network = await VethPair.CreateAsync(output);
        var narseed = Path.Combine(AppContext.BaseDirectory, "narseed");
        await using var getter = RunningProcess.Start(ExternalTool.Require("ip"),
            ["netns", "exec", network.NamespaceB, narseed, "torrent", "get", torrent, "-o", into, "--no-trackers", "--no-pex",
                "--port", "7002"], dir.Path);
        // The getter must have joined the LSD group before the seeder's one announce at start (BEP 14: then every 5 min).
        await UntilJoinedAsync(network, getter);
        await using var seeder = RunningProcess.Start(ExternalTool.Require("ip"),
            ["netns", "exec", network.NamespaceA, narseed, "torrent", "seed", torrent, data, "--port", "7001", "--no-trackers",
                "--no-pex"], dir.Path);
        var result = await getter.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(result.StandardOutput + result.StandardError);
        output.WriteLine(seeder.StandardOutputSoFar + seeder.StandardErrorSoFar);

        result.ExitCode.Should().Be(0, "the getter must find the seeder by LSD and download from it");
        var summary = JsonNode.Parse(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
        ((long)summary["bytes_from_peers"]!).Should().Be(bytes.Length, "every byte came from the seeder found by LSD");
        (await File.ReadAllBytesAsync(Path.Combine(into, "lsd-get.bin"))).Should().Equal(bytes);
    }

    /// <summary>Polls the getter's namespace until its veth end is a member of BEP 14's IPv4 group, bounded.</summary>
    private static async Task UntilJoinedAsync(VethPair network, RunningProcess process)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var groups = await ProcessRunner.RunAsync(ExternalTool.Require("ip"), ["-n", network.NamespaceB, "maddr", "show"],
                TimeSpan.FromSeconds(10));
            if (groups.StandardOutput.Contains("239.192.152.143", StringComparison.Ordinal)) return;
            if (DateTime.UtcNow > deadline || process.Process.HasExited)
            {
                throw new TimeoutException($"Never joined the LSD group:\n{groups.StandardOutput}{process.StandardErrorSoFar}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Polls the process's log (Serilog writes to stderr) for <paramref name="text"/>, bounded.</summary>
    private static async Task UntilLoggedAsync(RunningProcess process, string text)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!process.StandardErrorSoFar.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || process.Process.HasExited)
            {
                throw new TimeoutException($"Never logged '{text}':\n{process.StandardOutputSoFar}{process.StandardErrorSoFar}");
            }
            await Task.Delay(50);
        }
    }
}

/// <summary>Two fresh network namespaces and a veth pair between them; everything is deleted on dispose.</summary>
internal sealed class VethPair : IAsyncDisposable
{
    public const string AddressA = "10.213.0.1";
    public const string AddressB = "10.213.0.2";

    private VethPair(string suffix)
    {
        NamespaceA = $"nsa-{suffix}";
        NamespaceB = $"nsb-{suffix}";
        InterfaceA = $"va{suffix}";
    }

    /// <summary>The veth end inside <see cref="NamespaceA"/>.</summary>
    public string InterfaceA { get; }

    /// <summary>The IPv6 link-local address the kernel gave <see cref="InterfaceA"/> (without a zone).</summary>
    public async Task<System.Net.IPAddress> LinkLocalAddressAAsync()
    {
        var result = await ProcessRunner.RunAsync(ExternalTool.Require("ip"),
            ["-n", NamespaceA, "-6", "-o", "addr", "show", "dev", InterfaceA, "scope", "link"], TimeSpan.FromSeconds(10));
        var match = System.Text.RegularExpressions.Regex.Match(result.StandardOutput, @"inet6 (fe80:[0-9a-f:]+)/");
        match.Success.Should().BeTrue($"{InterfaceA} has a link-local address: {result.StandardOutput}");
        return System.Net.IPAddress.Parse(match.Groups[1].Value);
    }

    public string NamespaceA { get; }

    public string NamespaceB { get; }

    public static async Task<VethPair> CreateAsync(ITestOutputHelper output)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var pair = new VethPair(suffix);
        string[][] steps =
        [
            ["netns", "add", pair.NamespaceA],
            ["netns", "add", pair.NamespaceB],
            ["link", "add", $"va{suffix}", "netns", pair.NamespaceA, "type", "veth", "peer", "name", $"vb{suffix}", "netns", pair.NamespaceB],
            ["-n", pair.NamespaceA, "addr", "add", $"{AddressA}/24", "dev", $"va{suffix}"],
            ["-n", pair.NamespaceB, "addr", "add", $"{AddressB}/24", "dev", $"vb{suffix}"],
            ["-n", pair.NamespaceA, "link", "set", "lo", "up"],
            ["-n", pair.NamespaceB, "link", "set", "lo", "up"],
            ["-n", pair.NamespaceA, "link", "set", $"va{suffix}", "up"],
            ["-n", pair.NamespaceB, "link", "set", $"vb{suffix}", "up"],
            // Multicast leaves through the veth (there is no default route inside the namespaces).
            ["-n", pair.NamespaceA, "route", "add", "224.0.0.0/4", "dev", $"va{suffix}"],
            ["-n", pair.NamespaceB, "route", "add", "224.0.0.0/4", "dev", $"vb{suffix}"],
        ];
        foreach (var step in steps)
        {
            var result = await ProcessRunner.RunAsync(ExternalTool.Require("ip"), step, TimeSpan.FromSeconds(10));
            if (result.ExitCode != 0)
            {
                await pair.DisposeAsync();
                throw new InvalidOperationException(
                    $"Cannot create the test network: `ip {string.Join(' ', step)}` failed ({result.ExitCode}): {result.StandardError}" +
                    " — the LSD test needs root (CAP_NET_ADMIN) and iproute2.");
            }
            output.WriteLine($"ip {string.Join(' ', step)}");
        }
        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        // Deleting a namespace deletes the veth end inside it (and with it its peer).
        foreach (var ns in new[] { NamespaceA, NamespaceB })
        {
            await ProcessRunner.RunAsync(ExternalTool.Require("ip"), ["netns", "del", ns], TimeSpan.FromSeconds(10));
        }
    }
}
