using NarSeed.TestSupport;

namespace NarSeed.Tests.Mirror;

/// <summary>One nar compressed once by the real xz for a whole test class: 5 MiB that xz cannot shrink and 2 MiB
/// that it can (about 5 MiB compressed: several ingest chunks).</summary>
public sealed class XzNarFixture : IAsyncLifetime
{
    public byte[] Nar { get; private set; } = [];

    public byte[] Xz { get; private set; } = [];

    public async Task InitializeAsync()
    {
        using var dir = new TempDirectory();
        Nar = new byte[7 * 1024 * 1024];
        new Random(61).NextBytes(Nar.AsSpan(0, 5 * 1024 * 1024));
        await File.WriteAllBytesAsync(dir.Combine("x.nar"), Nar);
        (await ProcessRunner.RunAsync(ExternalTool.Require("xz"), ["-1", "-T1", "-k", dir.Combine("x.nar")],
            TimeSpan.FromMinutes(2))).EnsureSuccess("xz");
        Xz = await File.ReadAllBytesAsync(dir.Combine("x.nar.xz"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
