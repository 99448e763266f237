using NarSeed.BitTorrent.Engine.Download;

namespace NarSeed.BitTorrent.Tests.Download;

public sealed class PiecePickerTests
{
    private static bool[] All(int n) => Enumerable.Repeat(true, n).ToArray();

    [Fact]
    public void Rarest_first_picks_the_piece_fewest_peers_have()
    {
        var picker = new PiecePicker(new bool[4], streaming: false);
        picker.AddAvailability(All(4), +1);
        picker.AddAvailability([true, true, false, true], +1);
        picker.AddAvailability([true, true, false, false], +1);
        // availability: 3, 3, 1, 2
        picker.Pick(All(4), []).Should().Be(2);
        picker.Pick(All(4), []).Should().Be(3);
    }

    [Fact]
    public void A_peer_gets_only_pieces_it_has()
    {
        var picker = new PiecePicker(new bool[3], streaming: false);
        picker.Pick([false, true, false], [], allowEndGame: false).Should().Be(1);
        picker.Pick([false, true, false], [], allowEndGame: false).Should().Be(-1);
    }

    [Fact]
    public void Streaming_picks_in_order_from_the_first_missing_piece()
    {
        var have = new bool[6];
        have[0] = true;
        var picker = new PiecePicker(have, streaming: true);
        picker.AddAvailability([false, false, false, false, false, true], +1);
        picker.FirstMissing.Should().Be(1);
        picker.Pick(All(6), []).Should().Be(1);
        picker.Pick(All(6), []).Should().Be(2);
        picker.PickRun(2, allowEndGame: false).Should().Be((3, 2));
    }

    [Fact]
    public void End_game_duplicates_an_assigned_piece_to_another_source_and_the_first_copy_wins()
    {
        var picker = new PiecePicker(new bool[2], streaming: false);
        var a = picker.Pick(All(2), []);
        var b = picker.Pick(All(2), []);
        picker.Pick(All(2), [a, b], allowEndGame: true).Should().Be(-1, "this source already works on both");
        var duplicate = picker.Pick(All(2), [a]);
        duplicate.Should().Be(b);
        picker.Complete(b).Should().BeTrue();
        picker.Complete(b).Should().BeFalse("the second copy is a duplicate");
        picker.Remaining.Should().Be(1);
    }

    [Fact]
    public void A_released_piece_can_be_picked_again_and_completion_advances_the_first_missing_piece()
    {
        var picker = new PiecePicker(new bool[2], streaming: true);
        picker.Pick(All(2), [], allowEndGame: false).Should().Be(0);
        picker.Release(0);
        picker.Pick(All(2), [], allowEndGame: false).Should().Be(0);
        picker.Complete(0);
        picker.FirstMissing.Should().Be(1);
        picker.Complete(1);
        picker.Remaining.Should().Be(0);
        picker.FirstMissing.Should().Be(2);
    }
}
