using NarSeed.Hosting;
using NarSeed.TestSupport;

namespace NarSeed.Tests.Hosting;

public class SystemdNotifierTests
{
    [Fact]
    public async Task Messages_arrive_on_a_path_socket()
    {
        using var dir = new TempDirectory();
        using var socket = new NotifySocket(dir.Combine("notify"));
        var notifier = new SystemdNotifier(socket.Name);

        (await notifier.NotifyAsync(SystemdNotifier.Ready, CancellationToken.None)).Should().BeTrue();
        (await notifier.NotifyAsync(SystemdNotifier.Stopping, CancellationToken.None)).Should().BeTrue();

        (await socket.ReceiveAsync(TimeSpan.FromSeconds(5))).Should().Be("READY=1");
        (await socket.ReceiveAsync(TimeSpan.FromSeconds(5))).Should().Be("STOPPING=1");
    }

    [Fact]
    public async Task An_at_sign_names_an_abstract_socket()
    {
        using var socket = new NotifySocket($"@narseed-test-{Guid.NewGuid():N}");

        await new SystemdNotifier(socket.Name).NotifyAsync(SystemdNotifier.Ready, CancellationToken.None);

        (await socket.ReceiveAsync(TimeSpan.FromSeconds(5))).Should().Be("READY=1");
    }

    [Fact]
    public async Task Without_NOTIFY_SOCKET_nothing_is_sent()
    {
        var notifier = new SystemdNotifier(null);

        notifier.IsEnabled.Should().BeFalse();
        (await notifier.NotifyAsync(SystemdNotifier.Ready, CancellationToken.None)).Should().BeFalse();
    }
}
