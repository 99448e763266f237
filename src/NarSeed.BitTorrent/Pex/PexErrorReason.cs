namespace NarSeed.BitTorrent.Pex;

/// <summary>Why a ut_pex message was refused.</summary>
public enum PexErrorReason
{
    /// <summary>Not one bencoded dictionary within the limits.</summary>
    MalformedBencode,

    /// <summary>A compact list's length is not a multiple of its entry size.</summary>
    InvalidCompactList,

    /// <summary>Larger than <see cref="PexLimits.MaxMessageLength"/>.</summary>
    TooLarge,
}
