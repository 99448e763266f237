namespace NarSeed.Status;

/// <summary>Peer discovery: the trackers and their states, and local service discovery (BEP 14).</summary>
public sealed record DiscoveryStatus(IReadOnlyList<TrackerStatus> Trackers, string LocalDiscovery);
