namespace NarSeed.BitTorrent.Lsd;

/// <summary>One parsed <c>BT-SEARCH</c> message: the sender's TCP port, its info-hashes (20 bytes each), its cookie.</summary>
public sealed record LsdAnnouncement(int Port, IReadOnlyList<byte[]> InfoHashes, string? Cookie);
