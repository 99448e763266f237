namespace NarSeed.Catalog;

/// <summary>Bytes of a torrent's nar uploaded to peers since the last flush, and when the last of them went.</summary>
public readonly record struct NarTraffic(ReadOnlyMemory<byte> InfoHashV2, long Bytes, DateTimeOffset At);
