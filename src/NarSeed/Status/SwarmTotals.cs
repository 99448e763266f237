namespace NarSeed.Status;

/// <summary>The seeding engine as a whole: whether it runs, its port, torrents registered, peers, bytes uploaded.</summary>
public sealed record SwarmTotals(bool Running, int Port, int Torrents, int ConnectedPeers, long UploadedBytes);
