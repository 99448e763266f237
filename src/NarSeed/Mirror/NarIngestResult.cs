using NarSeed.Substitutes.Compression;

namespace NarSeed.Mirror;

/// <summary>What one pass over a downloaded nar found: the checks against its narinfo and, when the narinfo gave the
/// file's size, its torrent's hashes (null without a size, or when the bytes did not have that size).</summary>
internal sealed record NarIngestResult(NarVerification Verification, NarTorrentHashes? Torrent);
