namespace NarSeed.Status;

/// <summary>
/// Peer discovery: the trackers and their states, local service discovery (BEP 14), failed tracker announces since
/// start, and how many seeded nars a scrape shows another seeder for (the tracker counts this node too).
/// </summary>
public sealed record DiscoveryStatus(IReadOnlyList<TrackerStatus> Trackers, string LocalDiscovery,
    long TrackerAnnounceFailures = 0, int NarsWithOtherSeeders = 0);
