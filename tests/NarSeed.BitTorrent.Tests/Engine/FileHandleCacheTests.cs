using NarSeed.BitTorrent.Engine;
using NarSeed.TestSupport;

namespace NarSeed.BitTorrent.Tests.Engine;

public class FileHandleCacheTests
{
    [Fact]
    public void Shares_one_handle_per_file_and_closes_the_least_recently_used_idle_one_when_full()
    {
        using var directory = new TempDirectory();
        var paths = Enumerable.Range(0, 3).Select(i =>
        {
            var path = directory.Combine($"f{i}");
            File.WriteAllBytes(path, [(byte)i]);
            return path;
        }).ToArray();
        using var cache = new FileHandleCache(capacity: 2);
        using (var a = cache.Rent(paths[0]))
        using (var b = cache.Rent(paths[0]))
        {
            a.Handle.Should().BeSameAs(b.Handle);
            var one = new byte[1];
            RandomAccess.Read(a.Handle, one, 0).Should().Be(1);
        }
        using (cache.Rent(paths[1])) { }
        using (cache.Rent(paths[2])) { }
        cache.OpenCount.Should().Be(2);
        using var again = cache.Rent(paths[0]); // was evicted: reopened
        var buffer = new byte[1];
        RandomAccess.Read(again.Handle, buffer, 0);
        buffer[0].Should().Be(0);
    }

    [Fact]
    public void A_handle_in_use_is_never_closed_by_eviction()
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.Combine("a"), [1]);
        File.WriteAllBytes(directory.Combine("b"), [2]);
        using var cache = new FileHandleCache(capacity: 1);
        using var busy = cache.Rent(directory.Combine("a"));
        using (cache.Rent(directory.Combine("b"))) { }
        busy.Handle.IsClosed.Should().BeFalse();
    }
}
