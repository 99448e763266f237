namespace NarSeed.BitTorrent.Bencoding;

/// <summary>
/// Bounds on what a <see cref="BencodeReader"/> accepts. Every default is named once here; setters validate.
/// </summary>
public sealed record BencodeLimits
{
    /// <summary>libtorrent's bdecode default depth limit is 100 (<c>bdecode.hpp</c>, <c>depth_limit</c>).</summary>
    public const int DefaultMaxDepth = 100;

    /// <summary>
    /// 30 MiB, libtorrent's <c>max_metadata_size</c> (settings_pack.cpp): no metainfo string can be longer than the
    /// metadata it lives in.
    /// </summary>
    public const int DefaultMaxStringLength = 30 * 1024 * 1024;

    /// <summary>libtorrent's bdecode default <c>token_limit</c> is 2,000,000 tokens (bdecode.hpp).</summary>
    public const int DefaultMaxItems = 2_000_000;

    /// <summary>
    /// 64 MiB: twice libtorrent's 30 MiB <c>max_metadata_size</c>, leaving room for <c>piece layers</c> (32 B per
    /// piece, outside info) of any torrent libtorrent's creator can make.
    /// </summary>
    public const int DefaultMaxTotalLength = 64 * 1024 * 1024;

    /// <summary>The defaults above.</summary>
    public static BencodeLimits Default { get; } = new();

    public int MaxDepth { get; init => field = Positive(value); } = DefaultMaxDepth;

    public int MaxStringLength { get; init => field = NonNegative(value); } = DefaultMaxStringLength;

    public int MaxItems { get; init => field = Positive(value); } = DefaultMaxItems;

    public int MaxTotalLength { get; init => field = Positive(value); } = DefaultMaxTotalLength;

    /// <summary>
    /// Canonical key order: dictionary keys unique and sorted by raw bytes (the default, required wherever a hash is
    /// taken over the bytes). Peer messages relax it, as libtorrent's bdecode does: then neither order nor
    /// uniqueness is checked. <see cref="BencodeValue.Parse"/> always requires it: its lookups are binary searches.
    /// </summary>
    public bool RequireSortedKeys { get; init; } = true;

    private static int Positive(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        return value;
    }

    private static int NonNegative(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value;
    }
}
