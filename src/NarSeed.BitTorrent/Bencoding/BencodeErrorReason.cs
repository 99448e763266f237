namespace NarSeed.BitTorrent.Bencoding;

/// <summary>Why a bencoded input was rejected. The decoder accepts canonical form only (BEP 3, BEP 52 §bencoding).</summary>
public enum BencodeErrorReason
{
    /// <summary>The input ended inside a value.</summary>
    UnexpectedEnd,
    /// <summary>A byte that cannot start a value (not <c>i</c>, <c>l</c>, <c>d</c> or a digit).</summary>
    UnexpectedByte,
    /// <summary>An integer with a leading zero, <c>i-0e</c>, an empty integer or a non-digit.</summary>
    InvalidInteger,
    /// <summary>An integer that does not fit in a signed 64-bit value.</summary>
    IntegerOverflow,
    /// <summary>A string length with a leading zero, no digits or no colon.</summary>
    InvalidStringLength,
    /// <summary>A string longer than <see cref="BencodeLimits.MaxStringLength"/> or than the bytes left.</summary>
    StringTooLong,
    /// <summary>A dictionary key that is not a byte string.</summary>
    KeyNotString,
    /// <summary>A dictionary key not greater than the one before it (raw byte order, BEP 3).</summary>
    UnsortedKeys,
    /// <summary>A dictionary key equal to the one before it.</summary>
    DuplicateKey,
    /// <summary>A dictionary ended after a key, with no value.</summary>
    MissingValue,
    /// <summary>Nesting deeper than <see cref="BencodeLimits.MaxDepth"/>.</summary>
    DepthExceeded,
    /// <summary>More values than <see cref="BencodeLimits.MaxItems"/>.</summary>
    TooManyItems,
    /// <summary>An input longer than <see cref="BencodeLimits.MaxTotalLength"/>.</summary>
    InputTooLong,
    /// <summary>Bytes after the single top-level value.</summary>
    TrailingData,
}
