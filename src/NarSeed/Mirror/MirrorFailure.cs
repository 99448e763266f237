namespace NarSeed.Mirror;

/// <summary>Why a store path was not mirrored. Refusals (signature, nar bytes, URL) are never retried in a pass.</summary>
public enum MirrorFailure
{
    /// <summary>The origin did not have the narinfo (404).</summary>
    NotFound,

    /// <summary>No trusted, valid signature.</summary>
    Signature,

    /// <summary>The nar's FileHash/FileSize or NarHash/NarSize did not match, or it did not decode.</summary>
    NarBytes,

    /// <summary>The narinfo named a nar URL the node will not follow (file://, another scheme).</summary>
    Url,

    /// <summary>The narinfo could not be parsed.</summary>
    NarInfo,

    /// <summary>Network, timeouts, HTTP errors: retried with back-off.</summary>
    Transfer,

    /// <summary>Disk or catalog errors.</summary>
    Local,
}
