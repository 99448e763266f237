namespace NarSeed.Substitutes.Signatures;

/// <summary>The outcome of checking a narinfo's signatures against trusted keys.</summary>
public enum SignatureVerdict
{
    /// <summary>At least one signature by a trusted key verifies.</summary>
    Valid,

    /// <summary>A signature names a trusted key but does not verify (tampered, wrong length, corrupt).</summary>
    Invalid,

    /// <summary>Signatures exist, but none is by a trusted key.</summary>
    Untrusted,

    /// <summary>No signature at all.</summary>
    Unsigned,
}
