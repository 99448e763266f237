using NarSeed.BitTorrent.Wire;

namespace NarSeed.BitTorrent.Engine;

/// <summary>
/// The limits every incoming block request is held to (bittorrent.md §5.7), by the seeder's connections and by a
/// download's connections when they upload verified pieces.
/// </summary>
internal static class BlockRequestRules
{
    /// <summary>
    /// Throws a <see cref="WireProtocolException"/> when <paramref name="request"/> is empty or longer than
    /// <see cref="WireLimits.MaxRequestLength"/>, lies outside the torrent, or would be queued behind
    /// <see cref="WireLimits.MaxRequestQueue"/> others (<paramref name="queued"/>).
    /// </summary>
    public static void Validate(in BlockRequestMessage request, int pieceCount, int pieceLength, int queued, long offset)
    {
        if (request.Length is 0 or > WireLimits.MaxRequestLength)
        {
            throw new WireProtocolException(WireProtocolErrorReason.RequestTooLong,
                $"Request of {request.Length} bytes; the limit is {WireLimits.MaxRequestLength}.", offset);
        }
        // libtorrent treats a v2 file's last piece as a full piece whose tail past the end of the file is zero
        // padding (it adds a hidden tail pad file), and requests that tail; so the bound is the piece length.
        if (request.Index >= pieceCount || (long)request.Begin + request.Length > pieceLength)
        {
            throw new WireProtocolException(WireProtocolErrorReason.RequestOutOfRange,
                $"Request {request.Index}/{request.Begin}+{request.Length} lies outside the torrent.", offset);
        }
        if (queued >= WireLimits.MaxRequestQueue)
        {
            throw new WireProtocolException(WireProtocolErrorReason.RequestQueueFull,
                $"More than {WireLimits.MaxRequestQueue} outstanding requests.", offset);
        }
    }
}
