namespace NarSeed.BitTorrent.Trackers;

/// <summary>Byte totals reported in an announce (BEP 3 <c>uploaded</c>, <c>downloaded</c>, <c>left</c>).</summary>
public readonly record struct TrackerProgress(long Uploaded, long Downloaded, long Left);
