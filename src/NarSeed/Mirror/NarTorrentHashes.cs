namespace NarSeed.Mirror;

/// <summary>A nar file's torrent hashes as <c>TorrentBuilder.FromHashes</c> takes them (computed while it downloaded).</summary>
internal sealed record NarTorrentHashes(long Length, int PieceLength, byte[] PieceLayer, byte[]? V1Pieces);
