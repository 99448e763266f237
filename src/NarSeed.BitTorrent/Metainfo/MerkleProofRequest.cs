namespace NarSeed.BitTorrent.Metainfo;

/// <summary>
/// The fields of a BEP 52 hash request (without the pieces root): <paramref name="BaseLayer"/> levels above the
/// leaves, <paramref name="Length"/> hashes from <paramref name="Index"/>, with <paramref name="ProofLayers"/>
/// ancestor layers of proof.
/// </summary>
public readonly record struct MerkleProofRequest(int BaseLayer, int Index, int Length, int ProofLayers);
