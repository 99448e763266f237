namespace NarSeed.BitTorrent.Trackers;

/// <summary>One torrent's counts in a scrape reply (BEP 48 / BEP 15).</summary>
public readonly record struct ScrapeEntry(int Seeders, int Leechers, int Downloaded);
