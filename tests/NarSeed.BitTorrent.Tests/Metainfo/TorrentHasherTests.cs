using NarSeed.BitTorrent.Metainfo;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Metainfo;

/// <summary>
/// The streaming hasher against TorrentBuilder reading the same file (itself compared with libtorrent's
/// create_torrent in the interop tests): the .torrent files must be byte-identical, whatever the chunking.
/// </summary>
public class TorrentHasherTests
{
    private const int Block = MerkleTree.BlockSize;

    public static TheoryData<long, int?, bool> Sizes()
    {
        var data = new TheoryData<long, int?, bool>();
        long[] defaults =
        [
            1, 100, Block - 1, Block, Block + 1, 3 * Block, 5 * Block + 7,
            // libtorrent's default table changes from 16 KiB to 32 KiB pieces here.
            2_684_355, 2_684_356,
        ];
        (long Size, int Piece)[] explicitPieces =
        [
            (64 * 1024, 64 * 1024), (64 * 1024 - 1, 64 * 1024), (64 * 1024 + 1, 64 * 1024),
            (4 * 64 * 1024, 64 * 1024), (4 * 64 * 1024 + Block, 64 * 1024), (7 * 64 * 1024 - 1, 64 * 1024),
            (3 * Block, Block), (3 * Block + 1, Block), (1_000_000, 256 * 1024),
        ];
        foreach (var hybrid in new[] { false, true })
        {
            foreach (var size in defaults) data.Add(size, null, hybrid);
            foreach (var (size, piece) in explicitPieces) data.Add(size, piece, hybrid);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Streaming_in_random_chunks_makes_the_same_torrent_as_the_builder(long size, int? pieceLength, bool hybrid)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("file.nar");
        var random = new Random((int)size ^ (hybrid ? 1 : 0));
        var contents = new byte[size];
        random.NextBytes(contents);
        await File.WriteAllBytesAsync(path, contents);
        string[] webSeeds = ["http://127.0.0.1:1/nar/"];
        string[] trackers = ["http://127.0.0.1:2/announce"];
        var built = await TorrentBuilder.CreateAsync(path, new TorrentCreateOptions
        {
            Hybrid = hybrid, PieceLength = pieceLength, Name = "file.nar", WebSeeds = webSeeds, Trackers = trackers,
        });

        using var hasher = new TorrentHasher(size, pieceLength, hybrid);
        hasher.PieceLength.Should().Be(built.PieceLength);
        for (var offset = 0; offset < size;)
        {
            // Chunks from 1 byte to a few blocks, so every split of a block and a piece boundary occurs.
            var n = (int)Math.Min(size - offset, random.Next(3) == 0 ? random.Next(1, 64) : random.Next(1, 3 * Block));
            hasher.Append(contents.AsSpan(offset, n));
            offset += n;
        }
        var streamed = hasher.CreateTorrent("file.nar", webSeeds, trackers);

        streamed.ToTorrentFile().Should().Equal(built.ToTorrentFile());
        streamed.InfoHashV2Hex.Should().Be(built.InfoHashV2Hex);
        streamed.InfoHashV1Hex.Should().Be(built.InfoHashV1Hex);
        (streamed.InfoHashV1 is not null).Should().Be(hybrid);
    }

    [Fact]
    public void More_bytes_than_the_length_and_early_results_are_refused()
    {
        using var hasher = new TorrentHasher(Block + 1);
        hasher.Append(new byte[Block]);
        hasher.IsComplete.Should().BeFalse();
        var early = () => hasher.GetHashes();
        early.Should().Throw<InvalidOperationException>().WithMessage("*16384 of 16385*");
        var tooMuch = () => hasher.Append(new byte[2]);
        tooMuch.Should().Throw<InvalidOperationException>();
        hasher.BytesHashed.Should().Be(Block);
        hasher.Append(new byte[1]);
        hasher.IsComplete.Should().BeTrue();
        hasher.GetHashes().PieceLayer.Length.Should().Be(2 * MerkleTree.HashSize); // 16 KiB pieces: two
    }

    [Fact]
    public void Bad_lengths_and_piece_lengths_are_refused()
    {
        var empty = () => new TorrentHasher(0);
        empty.Should().Throw<ArgumentOutOfRangeException>();
        var notPowerOfTwo = () => new TorrentHasher(100, 20_000);
        notPowerOfTwo.Should().Throw<ArgumentOutOfRangeException>();
        var tooLarge = () => new TorrentHasher(100, 2 * TorrentBuilder.MaxPieceLength);
        tooLarge.Should().Throw<ArgumentOutOfRangeException>();
    }
}
