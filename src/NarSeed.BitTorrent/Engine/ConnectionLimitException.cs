namespace NarSeed.BitTorrent.Engine;

/// <summary>A torrent already has as many peers as <see cref="SeedEngineOptions.MaxConnectionsPerTorrent"/> allows.</summary>
internal sealed class ConnectionLimitException() : IOException("The torrent has reached its connection limit.");
