using System.Security.Cryptography;
using NarSeed.Catalog;
using NarSeed.Mirror;
using NarSeed.Seeding;
using NarSeed.Substitutes.Compression;
using NarSeed.Substitutes.Http;
using NarSeed.Substitutes.StorePaths;
using NarSeed.Substitutes.Tests.Http;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Mirror;

/// <summary>
/// The mirror's one-pass ingest: SubstituterClient downloads an xz nar (compressed by the real xz) from an HTTP server
/// that cuts transfers, into a NarStore temporary file through <see cref="NarIngestStream"/>. The verification must
/// match the narinfo's hashes, and the torrent hashed on the way must be byte-identical to the one TorrentBuilder
/// makes from the committed file. The nar is several ingest chunks long.
/// </summary>
public sealed class NarIngestStreamTests(XzNarFixture nar) : IClassFixture<XzNarFixture>, IAsyncLifetime
{
    private const string Url = "nar/x.nar.xz";
    private const string FileName = "x.nar.xz";
    private readonly TestCacheServer _server = new();
    private readonly TempDirectory _dir = new();
    private SubstituterClient _client = null!;
    private byte[] _xz = [];
    private NarExpectation _expected = null!;

    public Task InitializeAsync()
    {
        _xz = nar.Xz;
        _server.Files["/" + Url] = _xz;
        _expected = new NarExpectation(CompressionMethod.Xz, new NixHash(HashAlgorithmKind.Sha256, SHA256.HashData(_xz)),
            _xz.Length, new NixHash(HashAlgorithmKind.Sha256, SHA256.HashData(nar.Nar)), nar.Nar.Length);
        _client = new SubstituterClient(_server.BaseUri, new SubstituterClientOptions
        {
            InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50),
            ReadTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 3,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cut_transfer_resumes_with_Range_and_is_verified_and_hashed_in_the_same_pass(bool hybrid)
    {
        _server.CutsLeft["/" + Url] = 1;
        var (result, file) = await IngestAsync(_expected, hybrid);

        _server.Log.Should().Contain(l => l.StartsWith($"GET /{Url} bytes=", StringComparison.Ordinal));
        file.Should().Equal(_xz);
        result.Verification.IsValid.Should().BeTrue(result.Verification.FirstFailure);
        result.Verification.ActualFileHash.Should().Be(_expected.FileHash);
        await ShouldMatchTheBuiltTorrentAsync(result, hybrid);
    }

    [Fact]
    public async Task A_server_that_ignores_Range_rewinds_the_file_and_both_consumers()
    {
        _server.CutsLeft["/" + Url] = 1;
        _server.IgnoreRange = true;
        var (result, file) = await IngestAsync(_expected, hybrid: true);

        _server.Log.Count(l => l.StartsWith($"GET /{Url}", StringComparison.Ordinal)).Should().Be(2);
        file.Should().Equal(_xz);
        result.Verification.IsValid.Should().BeTrue(result.Verification.FirstFailure);
        await ShouldMatchTheBuiltTorrentAsync(result, hybrid: true);
    }

    [Fact]
    public async Task Wrong_bytes_are_a_failed_check_not_an_exception()
    {
        var corrupt = _xz.ToArray();
        corrupt[corrupt.Length / 2] ^= 0x40;
        _server.Files["/" + Url] = corrupt;
        var (result, _) = await IngestAsync(_expected, hybrid: false);

        result.Verification.IsValid.Should().BeFalse();
        result.Verification.FileHash.Should().Be(NarCheckOutcome.Mismatch);
        result.Verification.FileSize.Should().Be(NarCheckOutcome.Ok);
        result.Verification.FirstFailure.Should().BeOneOf("decode", "nar_hash");
    }

    [Fact]
    public async Task Without_a_FileSize_the_bytes_are_verified_and_the_torrent_is_left_for_later()
    {
        var (result, file) = await IngestAsync(_expected with { FileSize = null }, hybrid: false);
        file.Should().Equal(_xz);
        result.Verification.IsValid.Should().BeTrue(result.Verification.FirstFailure);
        result.Verification.FileSize.Should().Be(NarCheckOutcome.NotChecked);
        result.Torrent.Should().BeNull();
    }

    [Fact]
    public async Task An_abandoned_download_stops_its_consumers_and_leaves_no_file()
    {
        var store = new NarStore(_dir.Combine("state"));
        var pending = store.CreatePending(FileName);
        var ingest = new NarIngestStream(pending.Stream, _expected, hybrid: true, CancellationToken.None);
        // Part of the nar (several chunks handed over, one half-filled), then the download gives up.
        await ingest.WriteAsync(_xz.AsMemory(0, 3 * 1024 * 1024 + 100));
        await ingest.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await pending.DisposeAsync();
        Directory.EnumerateFiles(store.TemporaryDirectory).Should().BeEmpty();
        File.Exists(store.GetPath(FileName)).Should().BeFalse();
    }

    private async Task<(NarIngestResult Result, byte[] File)> IngestAsync(NarExpectation expected, bool hybrid)
    {
        var store = new NarStore(_dir.Combine("state"));
        await using var pending = store.CreatePending(FileName);
        NarIngestResult result;
        await using (var ingest = new NarIngestStream(pending.Stream, expected, hybrid, CancellationToken.None))
        {
            var written = await _client.DownloadNarAsync(Url, ingest, expected.FileSize, CancellationToken.None)
                .WaitAsync(TimeSpan.FromMinutes(1));
            written.Should().Be(_xz.Length);
            result = await ingest.CompleteAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        await pending.CommitAsync(CancellationToken.None);
        return (result, await File.ReadAllBytesAsync(store.GetPath(FileName)));
    }

    private async Task ShouldMatchTheBuiltTorrentAsync(NarIngestResult result, bool hybrid)
    {
        var origin = new Uri(_server.BaseUri, Url).AbsoluteUri;
        var hashes = result.Torrent!;
        hashes.Length.Should().Be(_xz.Length);
        var (streamed, record) = NarTorrents.FromHashes(7, FileName, origin, hashes.Length, hashes.PieceLength,
            hashes.PieceLayer, hashes.V1Pieces, ["http://127.0.0.1:1/announce"]);
        var (built, builtRecord) = await NarTorrents.BuildAsync(7, new NarStore(_dir.Combine("state")).GetPath(FileName),
            FileName, origin, hybrid, ["http://127.0.0.1:1/announce"], CancellationToken.None);
        streamed.ToTorrentFile().Should().Equal(built.ToTorrentFile());
        (streamed.InfoHashV1 is not null).Should().Be(hybrid);
        record.InfoHashV2.ToArray().Should().Equal(builtRecord.InfoHashV2.ToArray());
        record.PieceLayer.ToArray().Should().Equal(builtRecord.PieceLayer.ToArray());
    }
}
