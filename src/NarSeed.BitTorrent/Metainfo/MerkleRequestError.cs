namespace NarSeed.BitTorrent.Metainfo;

/// <summary>Why a hash request is rejected (see <see cref="MerkleProofs.Validate"/>).</summary>
public enum MerkleRequestError
{
    None,
    /// <summary>A negative base, index or proof layer count, or a length ≤ 0 (libtorrent validate_hash_request).</summary>
    InvalidField,
    /// <summary>More than <see cref="MerkleProofs.MaxRequestLength"/> hashes.</summary>
    LengthTooLarge,
    /// <summary>The base layer is at or above the root (libtorrent: base ≥ number of layers).</summary>
    BaseLayerTooHigh,
    /// <summary>[index, index + length) does not fit the layer.</summary>
    RangeOutOfLayer,
    /// <summary>proof_layers ≥ layers − base (the proof would pass the root).</summary>
    ProofLayersTooHigh,
    /// <summary>Only the block layer (0) and the piece layer are served (BEP 52 requires only these).</summary>
    UnsupportedBaseLayer,
    /// <summary>The length is not a power of two or the index not a multiple of it (BEP 52).</summary>
    NotAligned,
}
