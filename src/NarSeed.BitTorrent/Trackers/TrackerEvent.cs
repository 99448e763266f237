namespace NarSeed.BitTorrent.Trackers;

/// <summary>The announce <c>event</c>; values are BEP 15's UDP codes.</summary>
public enum TrackerEvent
{
    None = 0,
    Completed = 1,
    Started = 2,
    Stopped = 3,
}
