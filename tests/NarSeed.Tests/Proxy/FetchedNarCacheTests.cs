using Microsoft.Extensions.Options;
using NarSeed.Proxy;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Proxy;

/// <summary>The fetched-nar cache: a size cap, least recently used out first, pinned files kept, state survives a restart.</summary>
public sealed class FetchedNarCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new("narseed-proxy-cache-");

    public void Dispose() => _dir.Dispose();

    private FetchedNarCache Create(long capacity) =>
        new(Options.Create(new ProxyOptions { State = _dir.Path, CacheSize = capacity }));

    private static string Put(FetchedNarCache cache, string name, int length)
    {
        var temporary = cache.NewTemporaryPath();
        File.WriteAllBytes(temporary, new byte[length]);
        return cache.Add(temporary, name)!;
    }

    private static bool Has(FetchedNarCache cache, string name)
    {
        if (!cache.TryOpen(name, out var stream)) return false;
        stream.Dispose();
        return true;
    }

    [Fact]
    public void The_least_recently_used_nar_goes_first_when_the_cap_is_exceeded()
    {
        var cache = Create(100);
        Put(cache, "a.nar", 40);
        Put(cache, "b.nar", 40);
        Has(cache, "a.nar").Should().BeTrue(); // a is now more recent than b
        Put(cache, "c.nar", 40);
        Has(cache, "b.nar").Should().BeFalse();
        File.Exists(Path.Combine(cache.Directory, "b.nar")).Should().BeFalse();
        Has(cache, "a.nar").Should().BeTrue();
        Has(cache, "c.nar").Should().BeTrue();
        cache.Size.Should().Be(80);
    }

    [Fact]
    public void A_nar_larger_than_the_cap_is_not_kept_and_pinned_nars_are_not_evicted()
    {
        var cache = Create(100);
        Put(cache, "huge.nar", 101).Should().BeNull();
        cache.Count.Should().Be(0);
        Directory.GetFiles(cache.Directory).Should().BeEmpty("the temporary file is gone too");

        Put(cache, "pinned.nar", 40);
        cache.Pin("pinned.nar");
        Put(cache, "b.nar", 40);
        Put(cache, "c.nar", 40);
        Has(cache, "b.nar").Should().BeFalse("pinned is older, but pinned: b goes instead");
        Has(cache, "c.nar").Should().BeTrue();
        cache.Unpin("pinned.nar");
        Put(cache, "d.nar", 40);
        Has(cache, "pinned.nar").Should().BeFalse("unpinned, it is the least recently used");
        Has(cache, "c.nar").Should().BeTrue();
        Has(cache, "d.nar").Should().BeTrue();
    }

    [Fact]
    public void A_restart_finds_the_cached_nars_and_drops_leftover_temporary_files()
    {
        var cache = Create(1000);
        Put(cache, "a.nar", 10);
        File.WriteAllBytes(cache.NewTemporaryPath(), new byte[5]);
        var again = Create(1000);
        again.Count.Should().Be(1);
        again.Size.Should().Be(10);
        Has(again, "a.nar").Should().BeTrue();
        Directory.GetFiles(again.Directory, "*.tmp").Should().BeEmpty();
    }
}
