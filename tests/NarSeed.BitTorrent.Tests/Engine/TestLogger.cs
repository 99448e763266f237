using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NarSeed.BitTorrent.Engine;

namespace NarSeed.BitTorrent.Tests.Engine;

/// <summary>Collects the engine's log lines so a failing test can show what the seeder saw.</summary>
internal sealed class TestLogger : ILogger<SeedEngine>
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");

    public override string ToString() => string.Join('\n', _lines);
}
