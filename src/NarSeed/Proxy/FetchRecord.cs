namespace NarSeed.Proxy;

/// <summary>One nar fetch: where its bytes came from (verified bytes only) and how it ended.</summary>
public sealed record FetchRecord(
    string HashPart,
    FetchSource Source,
    long BytesSent,
    long BytesFromPeers,
    long BytesFromWebSeeds,
    long BytesFromOrigin,
    long BytesFromCache,
    int PeersBanned,
    double Seconds);
