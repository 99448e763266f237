using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NarSeed.Catalog;
using NarSeed.Gc;
using NarSeed.Hosting;
using NarSeed.TestSupport;
using static NarSeed.Tests.Catalog.CatalogTestData;

namespace NarSeed.Tests.Gc;

public class GcServiceTests
{
    [Fact]
    public async Task The_service_collects_at_start_and_again_on_every_tick_until_stopped()
    {
        using var dir = new TempDirectory();
        var catalog = await OpenAsync(dir.Path);
        var store = new NarStore(dir.Path);
        await AddStoredNarAsync(catalog, store, 1, 10);
        await AddStoredNarAsync(catalog, store, 2, 10);
        await catalog.AddRootAsync(StorePath(1), RootSource.CommandLine, default);
        var seeding = new RecordingSeedingControl();
        var collector = new GarbageCollector(catalog, store, [seeding], TimeProvider.System,
            NullLogger<GarbageCollector>.Instance);
        var options = Options.Create(new NodeOptions { Gc = { Interval = TimeSpan.FromSeconds(1) } });
        using var service = new GcService(collector, options, TimeProvider.System, NullLogger<GcService>.Instance);

        await service.StartAsync(default);
        await WaitUntilAsync(async () => (await catalog.FindNarAsync(Hash(2), default))!.State == NarState.Retired);
        await catalog.RemoveRootAsync(StorePath(1), default);
        await WaitUntilAsync(async () => (await catalog.FindNarAsync(Hash(1), default))!.State == NarState.Retired);
        var stopping = Task.Run(() => service.StopAsync(default));

        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        service.Failures.Should().Be(0);
        lock (seeding.Calls)
        {
            seeding.Calls.Select(c => c.HashParts.Single()).Should().Equal(Hash(2), Hash(1));
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the GC service should have run a pass by now");
            await Task.Delay(50);
        }
    }
}
