namespace NarSeed.BitTorrent.Trackers;

/// <summary>Why a tracker reply was refused or a tracker request failed.</summary>
public enum TrackerErrorReason
{
    /// <summary>The tracker answered with <c>failure reason</c> (HTTP) or action 3 (UDP).</summary>
    TrackerFailure,

    /// <summary>The HTTP body is not one valid bencoded dictionary.</summary>
    MalformedBencode,

    /// <summary>A required field is missing or has the wrong type or size.</summary>
    InvalidField,

    /// <summary>The reply exceeds <see cref="TrackerLimits.MaxResponseLength"/>.</summary>
    ResponseTooLarge,

    /// <summary>A UDP reply is shorter than its action requires.</summary>
    TruncatedPacket,

    /// <summary>A UDP reply carries an action we did not ask for.</summary>
    UnexpectedAction,

    /// <summary>The tracker did not answer in time (after every retransmission).</summary>
    Timeout,

    /// <summary>The HTTP status was not 200.</summary>
    HttpStatus,

    /// <summary>The connection failed (refused, reset, unreachable).</summary>
    Network,

    /// <summary>The URL's scheme is neither http(s) nor udp.</summary>
    UnsupportedScheme,
}
