using System.Net;
using System.Net.Sockets;
using System.Text;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.StorePaths;

namespace NarSeed.Substitutes.Tests.Http;

public class SubstituterClientTests : IAsyncLifetime
{
    private const string Hash = "n5glp21rsz314qssw9fbvfswgy3kc68f";
    private readonly TestCacheServer _server = new();
    private readonly byte[] _nar = Compression.NarDecoderTests.MixedData(1_000_000, 9);
    private SubstituterClient _client = null!;

    private static readonly SubstituterClientOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        ReadTimeout = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        MaxAttempts = 3,
    };

    public Task InitializeAsync()
    {
        _server.Files["/nix-cache-info"] = "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 30\n"u8.ToArray();
        _server.Files[$"/{Hash}.narinfo"] = Encoding.UTF8.GetBytes(VectorFiles.Read("N1"));
        _server.Files["/nar/x.nar"] = _nar;
        _client = new SubstituterClient(_server.BaseUri, Fast);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Reads_cache_info_and_narinfos_and_treats_404_and_403_as_absent()
    {
        var info = await _client.GetCacheInfoAsync(CancellationToken.None);
        (info.StoreDir, info.WantMassQuery, info.Priority).Should().Be(("/nix/store", true, 30));
        var narinfo = await _client.TryGetNixNarInfoAsync(Hash, StorePath.NixStoreDirectory, CancellationToken.None);
        narinfo!.NarSize.Should().Be(226552);
        (await _client.TryGetNarInfoTextAsync("3acqrvb06vw0w3s9fa3wci433snbi2bg", CancellationToken.None)).Should().BeNull();
        _server.Statuses["/1q8w6gl1ll0mwfkqc3c2yx005s6wwfrl.narinfo"] = 403;
        (await _client.TryGetNarInfoTextAsync("1q8w6gl1ll0mwfkqc3c2yx005s6wwfrl", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task A_narinfo_for_another_path_is_rejected()
    {
        _server.Files["/3acqrvb06vw0w3s9fa3wci433snbi2bg.narinfo"] = _server.Files[$"/{Hash}.narinfo"];
        var act = () => _client.TryGetNixNarInfoAsync("3acqrvb06vw0w3s9fa3wci433snbi2bg", StorePath.NixStoreDirectory, CancellationToken.None);
        (await act.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.BadResponse);
    }

    [Fact]
    public async Task Missing_cache_info_is_not_a_binary_cache()
    {
        _server.Files.TryRemove("/nix-cache-info", out _);
        var act = () => _client.GetCacheInfoAsync(CancellationToken.None);
        (await act.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.NotFound);
    }

    [Fact]
    public async Task A_cut_download_resumes_with_Range()
    {
        _server.CutsLeft["/nar/x.nar"] = 1;
        var destination = new MemoryStream();
        var written = await _client.DownloadNarAsync("nar/x.nar", destination, _nar.Length, CancellationToken.None);
        written.Should().Be(_nar.Length);
        destination.ToArray().Should().Equal(_nar);
        _server.Log.Should().Contain(l => l.StartsWith("GET /nar/x.nar bytes=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_ignores_Range_makes_the_download_start_over()
    {
        _server.CutsLeft["/nar/x.nar"] = 1;
        _server.IgnoreRange = true;
        var destination = new MemoryStream();
        await _client.DownloadNarAsync("nar/x.nar", destination, _nar.Length, CancellationToken.None);
        destination.ToArray().Should().Equal(_nar);
    }

    [Fact]
    public async Task Transient_503_is_retried_and_a_lasting_500_gives_up()
    {
        _server.FailuresLeft["/nar/x.nar"] = 2;
        var destination = new MemoryStream();
        await _client.DownloadNarAsync("nar/x.nar", destination, null, CancellationToken.None);
        destination.Length.Should().Be(_nar.Length);

        _server.Statuses["/nar/y.nar"] = 500;
        var act = () => _client.DownloadNarAsync("nar/y.nar", new MemoryStream(), null, CancellationToken.None);
        var error = (await act.Should().ThrowAsync<SubstituterException>()).Which;
        error.StatusCode.Should().Be(500);
        _server.Log.Count(l => l == "GET /nar/y.nar").Should().Be(Fast.MaxAttempts);
    }

    [Fact]
    public async Task Bodies_larger_than_the_bound_are_refused()
    {
        var act = () => _client.DownloadNarAsync("nar/x.nar", new MemoryStream(), 1000, CancellationToken.None);
        (await act.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.TooLarge);
        using var small = new SubstituterClient(_server.BaseUri, Fast with { MaxNarInfoBytes = 100 });
        var narinfo = () => small.TryGetNarInfoTextAsync(Hash, CancellationToken.None);
        (await narinfo.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.TooLarge);
    }

    [Fact]
    public async Task Redirects_are_followed_only_to_http()
    {
        _server.Redirects["/nar/moved.nar"] = "/nar/x.nar";
        var destination = new MemoryStream();
        await _client.DownloadNarAsync("nar/moved.nar", destination, _nar.Length, CancellationToken.None);
        destination.Length.Should().Be(_nar.Length);

        _server.Redirects["/nar/evil.nar"] = "file:///etc/passwd";
        var act = () => _client.DownloadNarAsync("nar/evil.nar", new MemoryStream(), null, CancellationToken.None);
        (await act.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.BadRedirect);

        _server.Redirects["/nar/loop.nar"] = "/nar/loop.nar";
        var loop = () => _client.DownloadNarAsync("nar/loop.nar", new MemoryStream(), null, CancellationToken.None);
        (await loop.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.TooManyRedirects);

        var fileUrl = () => _client.DownloadNarAsync("file:///etc/passwd", new MemoryStream(), null, CancellationToken.None);
        (await fileUrl.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.BadResponse);
    }

    [Fact]
    public async Task A_silent_server_times_out_within_the_bound()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(16);
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var client = new SubstituterClient(new Uri($"http://127.0.0.1:{port}/"),
            Fast with { ReadTimeout = TimeSpan.FromMilliseconds(300), ConnectTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2 });
        var started = DateTime.UtcNow;
        var act = () => client.TryGetNarInfoTextAsync(Hash, CancellationToken.None);
        (await act.Should().ThrowAsync<SubstituterException>()).Which.Reason.Should().Be(SubstituterErrorReason.Timeout);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }
}

public class SubstituterClientOptionsTests
{
    [Fact]
    public void Options_are_validated_and_only_http_base_urls_are_accepted()
    {
        var bad = () => new SubstituterClient(new Uri("http://127.0.0.1:1/"), new SubstituterClientOptions { MaxAttempts = 0 });
        bad.Should().Throw<ArgumentOutOfRangeException>();
        var zero = () => new SubstituterClient(new Uri("http://127.0.0.1:1/"), new SubstituterClientOptions { ReadTimeout = TimeSpan.Zero });
        zero.Should().Throw<ArgumentOutOfRangeException>();
        var file = () => new SubstituterClient(new Uri("file:///tmp/cache"));
        file.Should().Throw<ArgumentException>();
        using var ok = new SubstituterClient(new Uri("http://127.0.0.1:1/cache"));
        ok.BaseUri.AbsoluteUri.Should().Be("http://127.0.0.1:1/cache/");
    }
}
